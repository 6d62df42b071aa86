namespace McpGrains.Grains.Upstream;

/// <summary>
/// The access token the upstream connection sends. Written by the grain, read by the HTTP handler on whatever thread
/// the MCP SDK uses: a plain volatile field, no grain state. What the server answered about a token is recorded per
/// call, on its <see cref="UpstreamExchange"/>, never here: calls overlap.
/// </summary>
public sealed class UpstreamCredentials
{
    private volatile string? _accessToken;

    public string? AccessToken
    {
        get => _accessToken;
        set => _accessToken = value;
    }
}
