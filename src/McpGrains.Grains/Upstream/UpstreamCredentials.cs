namespace McpGrains.Grains.Upstream;

/// <summary>
/// The access token the upstream connection sends, and what the last response said about it. Written by the grain,
/// read by the HTTP handler on whatever thread the MCP SDK uses: plain volatile fields, no grain state.
/// </summary>
public sealed class UpstreamCredentials
{
    private volatile string? _accessToken;
    private volatile string? _rejectedToken;
    private volatile string? _lastChallenge;
    private int _lastStatus;
    private int _rejections;

    public string? AccessToken
    {
        get => _accessToken;
        set => _accessToken = value;
    }

    /// <summary>The token that drew the last 401, if any: a 401 with a token we have since replaced is old news.</summary>
    public string? RejectedToken => _rejectedToken;

    /// <summary>The last 401/403 <c>WWW-Authenticate</c> value (no secrets: scopes and errors).</summary>
    public string? LastChallenge => _lastChallenge;

    public int LastStatus => Volatile.Read(ref _lastStatus);

    /// <summary>How many 401/403 answers were seen: compare before and after a request to see whether it drew one.</summary>
    public int Rejections => Volatile.Read(ref _rejections);

    internal void RecordRejection(int status, string? sentToken, string? challenge)
    {
        Volatile.Write(ref _lastStatus, status);
        Interlocked.Increment(ref _rejections);
        _lastChallenge = challenge;
        if (status == 401)
        {
            _rejectedToken = sentToken;
        }
    }

    public bool WasRejected(string? token) => token is not null && token == _rejectedToken;

    public void ClearRejection() => _rejectedToken = null;
}
