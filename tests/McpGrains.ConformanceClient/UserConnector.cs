using Microsoft.Extensions.Logging;

namespace McpGrains.ConformanceClient;

/// <summary>
/// Connects one user to the scenario's server through McpGrains' session grain: authorize, play the browser, deliver
/// the callback to the real front end, and hand out access tokens. Never logs a token, code or state.
/// </summary>
public sealed class UserConnector
{
    public const string UserId = "conformance-user";

    private readonly ConformanceHost _host;
    private readonly BrowserSimulator _browser;
    private readonly ILogger _logger;
    private readonly McpSessionKey _key = new(ConformanceHost.TenantId, UserId, ConformanceHost.ServerId);
    private int _authorizations;

    public UserConnector(ConformanceHost host, BrowserSimulator browser, ILogger logger)
    {
        _host = host;
        _browser = browser;
        _logger = logger;
    }

    /// <summary>How many times the user was sent through the authorization server.</summary>
    public int Authorizations => _authorizations;

    private IMcpSessionGrain Session => _host.Grains.GetGrain<IMcpSessionGrain>(_key.Format());

    /// <summary>Connected (or no authorization needed) afterwards, or throws <see cref="ConnectionFailedException"/>.</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var result = await Session.AuthorizeAsync(new AuthorizeRequest(null), cancellationToken);
        switch (result.Outcome)
        {
            case AuthorizeOutcome.Connected:
                _logger.LogInformation("Session connected without a new authorization.");
                return;
            case AuthorizeOutcome.Failed:
                throw new ConnectionFailedException($"authorize failed: {result.Error?.Code}: {result.Error?.Message}");
        }

        _authorizations++;
        var (callback, problem) = await _browser.AuthorizeAsync(new Uri(result.AuthorizationUrl!), _host.CallbackUrl, cancellationToken);
        if (callback is null)
        {
            throw new ConnectionFailedException($"browser: {problem}");
        }

        var (succeeded, status, _) = await _browser.DeliverAsync(callback, cancellationToken);
        var connection = await Session.GetConnectionAsync(cancellationToken);
        if (!succeeded || connection.Status != ConnectionStatus.Connected)
        {
            throw new ConnectionFailedException(
                $"callback answered {(int)status}; session is {connection.Status}: {connection.LastError?.Code}: {connection.LastError?.Message}");
        }

        _logger.LogInformation("Session connected after authorization #{Count}, scopes [{Scopes}].", _authorizations, string.Join(' ', connection.GrantedScopes));
    }

    /// <summary>A bearer token for the server, or null when the server needs none.</summary>
    public async Task<string?> GetAccessTokenAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var token = await Session.GetAccessTokenAsync(cancellationToken);
            switch (token.Outcome)
            {
                case AccessTokenOutcome.Token:
                    return token.AccessToken;
                case AccessTokenOutcome.NotRequired:
                    return null;
                case AccessTokenOutcome.AuthorizationRequired when attempt == 0:
                    await ConnectAsync(cancellationToken);
                    continue;
                default:
                    throw new ConnectionFailedException($"no access token: {token.Outcome} {token.Error?.Code}: {token.Error?.Message}");
            }
        }
    }

    /// <summary>
    /// The upstream server refused the token (401) or wants more scope (403): forget the tokens and authorize again.
    /// The grain API has no "refresh now" nor "authorize with these extra scopes": see docs/conformance.md.
    /// </summary>
    public async Task ReauthorizeAsync(string reason, CancellationToken cancellationToken)
    {
        _logger.LogInformation("Re-authorizing: {Reason}.", reason);
        var token = await Session.GetAccessTokenAsync(cancellationToken);
        if (token.Outcome == AccessTokenOutcome.NotRequired)
        {
            // The server grain decided at discovery that no authorization is needed (the probe was not refused).
            await _host.Grains.GetGrain<IMcpServerGrain>(ConformanceHost.ServerId).ResetAsync(reason, cancellationToken);
        }

        await Session.DisconnectAsync(cancellationToken);
        await ConnectAsync(cancellationToken);
    }
}
