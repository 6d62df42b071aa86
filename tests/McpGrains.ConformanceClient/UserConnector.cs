using Microsoft.Extensions.Logging;

namespace McpGrains.ConformanceClient;

/// <summary>
/// Connects one user to the scenario's server through McpGrains' session grain: authorize, play the browser through the
/// sign-in link and the authorization server, deliver the callback to the real front end, and hand out access tokens.
/// Never logs a token, code, ticket or state.
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

    public IMcpSessionGrain Session => _host.Grains.GetGrain<IMcpSessionGrain>(_key.Format());

    /// <summary>Connected (or no authorization needed) afterwards, or throws <see cref="ConnectionFailedException"/>.</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        // Enterprise-managed authorization: the host app hands over the user's ID token from the organization's IdP.
        var result = await Session.AuthorizeAsync(new AuthorizeRequest(null) { IdentityAssertion = _host.Context.Get("idp_id_token") }, cancellationToken);
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

    /// <summary>Plays the browser through a sign-in link the grain handed out, and delivers the callback.</summary>
    public async Task CompleteAuthorizationAsync(string signInLink, CancellationToken cancellationToken)
    {
        _authorizations++;
        var (callback, problem) = await _browser.AuthorizeAsync(new Uri(signInLink), _host.CallbackUrl, cancellationToken);
        if (callback is null)
        {
            throw new ConnectionFailedException($"browser: {problem}");
        }

        var (_, status, _) = await _browser.DeliverAsync(callback, cancellationToken);
        _logger.LogInformation("Authorization #{Count} delivered (callback answered {Status}).", _authorizations, (int)status);
    }
}
