namespace McpGrains.OAuth;

/// <summary>
/// Whether a request made for one upstream server may go to private addresses (the server's
/// <c>McpGrains:Servers:&lt;id&gt;:AllowPrivateNetwork</c>). It travels on the request as <see cref="RequestOption"/>:
/// set directly by whoever creates the request, or, for the OAuth clients (which create their requests themselves),
/// taken from a scope that the caller opens around its calls with <see cref="Allow"/>. The guarded handler sends
/// marked requests through connection pools of their own, so that a connection opened under the allowance never
/// serves a request without it.
/// </summary>
public static class PrivateNetworkAccess
{
    public static readonly HttpRequestOptionsKey<bool> RequestOption = new("McpGrains.PrivateNetworkAllowed");

    private static readonly AsyncLocal<bool> Ambient = new();

    /// <summary>
    /// Until disposed, requests the guarded clients send from this asynchronous flow carry
    /// <paramref name="allowed"/>. Each grain call opens its own: Orleans does not carry it across calls.
    /// </summary>
    public static Scope Allow(bool allowed)
    {
        var previous = Ambient.Value;
        Ambient.Value = allowed;
        return new Scope(previous);
    }

    /// <summary>True when <paramref name="request"/> is marked as allowed on private networks.</summary>
    public static bool IsAllowed(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Options.TryGetValue(RequestOption, out var allowed) && allowed;
    }

    /// <summary>Marks <paramref name="request"/> when the current scope allows private networks.</summary>
    internal static void ApplyScope(HttpRequestMessage request)
    {
        if (Ambient.Value)
        {
            request.Options.Set(RequestOption, true);
        }
    }

    /// <summary>Restores the allowance in force before <see cref="Allow"/>.</summary>
    public readonly struct Scope(bool previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}
