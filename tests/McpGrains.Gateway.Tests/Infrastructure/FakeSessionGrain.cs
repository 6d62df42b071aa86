using System.Collections.Concurrent;

namespace McpGrains.Gateway.Tests.Infrastructure;

/// <summary>
/// A session grain stand-in that answers with configurable results and records what it was asked. It implements the
/// members the gateway's REST API uses; <see cref="SessionGrainProxy"/> exposes it as <see cref="IMcpSessionGrain"/>
/// so that members added to the interface later do not break these tests.
/// </summary>
public sealed class FakeSessionGrain(string key)
{
    public string Key { get; } = key;

    public ConcurrentQueue<AuthorizeRequest> AuthorizeRequests { get; } = new();

    public ConcurrentQueue<AuthorizationCallback> Callbacks { get; } = new();

    public int DisconnectCalls;

    public ConnectionInfo? Connection { get; set; }

    public AuthorizeResult AuthorizeResult { get; set; } = AuthorizeResult.Required("https://as.example/authorize?state=sealed");

    public CallbackResult? CallbackResult { get; set; }

    public Task<ConnectionInfo> GetConnectionAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(Connection ?? new ConnectionInfo(McpSessionKey.Parse(Key).ServerId, ConnectionStatus.NotConnected, [], null, null, null));

    public Task<AuthorizeResult> AuthorizeAsync(AuthorizeRequest request, CancellationToken cancellationToken = default)
    {
        AuthorizeRequests.Enqueue(request);
        return Task.FromResult(AuthorizeResult);
    }

    public Task<CallbackResult> CompleteAuthorizationAsync(AuthorizationCallback callback, CancellationToken cancellationToken = default)
    {
        Callbacks.Enqueue(callback);
        return Task.FromResult(CallbackResult ?? new CallbackResult(true, callback.SessionKey.ServerId, null, null));
    }

    public ConcurrentQueue<SignInRequest> SignInRequests { get; } = new();

    public SignInDescription SignInDescription { get; set; } = new(SignInOutcome.Ready, "alice@example.com", "as.example", null);

    public SignInContinuation SignInContinuation { get; set; } = new(SignInOutcome.Ready, "https://as.example/authorize?state=sealed");

    public Task<SignInDescription> DescribeSignInAsync(SignInRequest request, CancellationToken cancellationToken = default)
    {
        SignInRequests.Enqueue(request);
        return Task.FromResult(SignInDescription);
    }

    public Task<SignInContinuation> ContinueSignInAsync(SignInRequest request, CancellationToken cancellationToken = default)
    {
        SignInRequests.Enqueue(request);
        return Task.FromResult(SignInContinuation);
    }

    public Task DisconnectAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref DisconnectCalls);
        return Task.CompletedTask;
    }
}
