namespace McpGrains.Grains.Upstream;

/// <summary>
/// The access token the upstream connection sends. Written by the grain, read by the HTTP handler on whatever thread
/// the MCP SDK uses: a plain volatile field, no grain state. What the server answered about a token is recorded per
/// call, on its <see cref="UpstreamExchange"/>, never here: calls overlap.
/// </summary>
public sealed class UpstreamCredentials
{
    private volatile string? _accessToken;
    private volatile McpGrains.OAuth.DpopKey? _dpop;
    private volatile string? _dpopNonce;

    public string? AccessToken
    {
        get => _accessToken;
        set => _accessToken = value;
    }

    /// <summary>The key the access token is bound to (RFC 9449), or null for a Bearer token.</summary>
    public McpGrains.OAuth.DpopKey? Dpop
    {
        get => _dpop;
        set => _dpop = value;
    }

    /// <summary>The last <c>DPoP-Nonce</c> the upstream server handed out (RFC 9449 section 9), for the next proof.</summary>
    public string? DpopNonce
    {
        get => _dpopNonce;
        set => _dpopNonce = value;
    }

    /// <summary>The clock proofs are dated by.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;
}
