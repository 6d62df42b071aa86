using ModelContextProtocol.Authentication;

namespace McpGrains.OAuth;

/// <summary>Chooses the scopes of an authorization request (MCP authorization, scope selection strategy).</summary>
public static class ScopeSelector
{
    public const string OfflineAccess = "offline_access";

    /// <summary>
    /// Configured scopes win; else the 401 challenge's <c>scope</c>; else the PRM <c>scopes_supported</c>; else none.
    /// <c>offline_access</c> is added only when the authorization server lists it. Duplicates are removed, order kept.
    /// </summary>
    public static IReadOnlyList<string> Select(
        IReadOnlyList<string>? configuredScopes,
        string? challengeScope,
        ProtectedResourceMetadata? prm,
        AuthorizationServerMetadata? asMeta)
    {
        IEnumerable<string> source;
        if (configuredScopes is { Count: > 0 })
        {
            source = configuredScopes;
        }
        else if (!string.IsNullOrWhiteSpace(challengeScope))
        {
            source = Split(challengeScope);
        }
        else if (prm?.ScopesSupported is { Count: > 0 } supported)
        {
            source = supported;
        }
        else
        {
            source = [];
        }

        var result = new List<string>();
        foreach (var scope in source.SelectMany(Split))
        {
            if (!result.Contains(scope, StringComparer.Ordinal))
            {
                result.Add(scope);
            }
        }

        if (asMeta?.ScopesSupported?.Contains(OfflineAccess, StringComparer.Ordinal) == true
            && !result.Contains(OfflineAccess, StringComparer.Ordinal))
        {
            result.Add(OfflineAccess);
        }

        return result;
    }

    /// <summary>
    /// Step-up on <c>403 insufficient_scope</c>: the previously <paramref name="granted"/> scopes followed by the
    /// scopes of <paramref name="challengeScope"/> not already present, in order, without duplicates (entries holding
    /// several space-separated scopes are split).
    /// </summary>
    public static IReadOnlyList<string> Union(IReadOnlyList<string> granted, string? challengeScope)
    {
        ArgumentNullException.ThrowIfNull(granted);
        var result = new List<string>();
        foreach (var scope in granted.Where(g => g is not null).SelectMany(Split).Concat(challengeScope is null ? [] : Split(challengeScope)))
        {
            if (!result.Contains(scope, StringComparer.Ordinal))
            {
                result.Add(scope);
            }
        }

        return result;
    }

    private static string[] Split(string scopes) =>
        scopes.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
