using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace McpGrains.Gateway.OpenApi;

/// <summary>Names the document and declares the host app bearer key that every documented operation requires.</summary>
internal sealed class HostAppSecurityDocumentTransformer : IOpenApiDocumentTransformer
{
    private const string SchemeId = "hostAppKey";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "McpGrains API";
        document.Info.Description = "Connections of host app users to upstream MCP servers. Authenticate with 'Authorization: Bearer <host app key>'.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SchemeId] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The host app key configured under McpGrains:HostApps:<name>:ApiKey.",
        };
        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeId, document)] = [] }];
        return Task.CompletedTask;
    }
}
