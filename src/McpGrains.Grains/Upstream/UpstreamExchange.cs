namespace McpGrains.Grains.Upstream;

/// <summary>
/// What the upstream said about one call's token: the token <see cref="BearerTokenHandler"/> put on the call's HTTP
/// request and, when the server refused it, the status (401 or 403) and its <c>WWW-Authenticate</c> challenge. One per
/// call (or connection attempt), never shared by calls in flight together.
/// </summary>
/// <remarks>
/// The MCP SDK sends a request's HTTP POST on the caller's async flow (<c>McpClient.SendRequestAsync</c>, the
/// session handler, the Streamable HTTP or SSE transport's <c>SendMessageAsync</c>, <c>HttpClient.SendAsync</c>), so
/// an <see cref="AsyncLocal{T}"/> set around the call reaches the handler for that POST and for no other call's.
/// Work the SDK starts during a connection attempt (the GET stream, notification handlers) keeps that attempt's exchange.
/// </remarks>
public sealed class UpstreamExchange
{
    private static readonly AsyncLocal<UpstreamExchange?> CurrentExchange = new();

    private volatile string? _sentToken;
    private volatile string? _challenge;
    private int _refusalStatus;

    /// <summary>The exchange of the call on this async flow, if any.</summary>
    public static UpstreamExchange? Current => CurrentExchange.Value;

    /// <summary>The access token the last HTTP request of this call carried (null: none).</summary>
    public string? SentToken => _sentToken;

    /// <summary>401 or 403 when the server refused the last HTTP request of this call; otherwise null.</summary>
    public int? RefusalStatus => Volatile.Read(ref _refusalStatus) is var status and not 0 ? status : null;

    /// <summary>The <c>WWW-Authenticate</c> value of that refusal (no secrets: scopes, errors, a metadata URL).</summary>
    public string? Challenge => _challenge;

    /// <summary>The server refused the access token this call sent (401 with a token).</summary>
    public bool TokenRejected => RefusalStatus == 401 && SentToken is not null;

    /// <summary>Makes this the exchange of the calling async method and everything it awaits (restored when it returns).</summary>
    internal void MakeCurrent() => CurrentExchange.Value = this;

    /// <summary>An HTTP request of this call leaves with <paramref name="token"/>; what an earlier one met is forgotten.</summary>
    internal void RecordSent(string? token)
    {
        _sentToken = token;
        _challenge = null;
        Volatile.Write(ref _refusalStatus, 0);
    }

    internal void RecordRefusal(int status, string? challenge)
    {
        _challenge = challenge;
        Volatile.Write(ref _refusalStatus, status);
    }

    public override string ToString() => $"UpstreamExchange {{ SentToken = {(SentToken is null ? "none" : "***")}, RefusalStatus = {RefusalStatus} }}";
}
