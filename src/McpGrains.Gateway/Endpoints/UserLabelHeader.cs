using System.Diagnostics.CodeAnalysis;
using McpGrains.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace McpGrains.Gateway.Endpoints;

/// <summary>Reads the user label header (<c>McpGrains:UserLabelHeader</c>, default <c>X-User-Label</c>): absent is fine.</summary>
internal static class UserLabelHeader
{
    public static bool TryRead(HttpRequest request, McpGrainsOptions options, out string? label, [NotNullWhen(false)] out ProblemHttpResult? problem)
    {
        var values = request.Headers[options.UserLabelHeader];
        label = null;
        if (values.Count <= 1 && UserLabels.TryNormalize(values.Count == 1 ? values[0] : null, out label))
        {
            problem = null;
            return true;
        }

        problem = GatewayProblems.InvalidUserLabel($"The '{options.UserLabelHeader}' header");
        return false;
    }
}
