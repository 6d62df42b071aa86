using McpGrains.Configuration;
using McpGrains.Gateway.Endpoints;
using McpGrains.Gateway.Logging;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace McpGrains.Gateway.Limits;

/// <summary>
/// Holds every request body to <c>McpGrains:Limits:MaxRequestBodyBytes</c> and answers 413 problem+json over it: at
/// once when Content-Length says so, otherwise when reading passes the limit (the server's own limit is set to the
/// same value for the request, and its refusal surfaces here as a 413 <see cref="BadHttpRequestException"/>).
/// </summary>
internal sealed class RequestBodyLimitMiddleware(RequestDelegate next, IOptions<McpGrainsOptions> options, ILoggerFactory loggerFactory)
{
    private readonly long _limit = options.Value.Limits.MaxRequestBodyBytes;
    private readonly ILogger _logger = loggerFactory.CreateLogger(LimitsLog.Category);

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength > _limit)
        {
            await RefuseAsync(context);
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = _limit;
        }

        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
        {
            await RefuseAsync(context);
        }
    }

    private Task RefuseAsync(HttpContext context)
    {
        _logger.RequestBodyTooLarge(context.Request.Method, (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no endpoint)", _limit);
        return GatewayProblems.RequestBodyTooLarge(_limit).ExecuteAsync(context);
    }
}
