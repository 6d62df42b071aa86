namespace McpGrains.Grains.Tests.Cluster;

/// <summary>
/// Fails the silo's token client right after the authorization server has answered, before the grain can write the
/// tokens: what a process crash at that instant leaves behind. Armed per grant type, once.
/// </summary>
public sealed class CrashInjector : DelegatingHandler
{
    private static string? _armedGrantType;

    public static void ArmAfterTokenResponse(string grantType) => Volatile.Write(ref _armedGrantType, grantType);

    public static bool Fired { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var armed = Volatile.Read(ref _armedGrantType);
        var body = armed is null || request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var response = await base.SendAsync(request, cancellationToken);
        if (armed is not null && body is not null && body.Contains($"grant_type={armed}", StringComparison.Ordinal)
            && Interlocked.CompareExchange(ref _armedGrantType, null, armed) == armed)
        {
            // The authorization server has issued (and, for a refresh, rotated) tokens; they die with the "process".
            await response.Content.ReadAsByteArrayAsync(cancellationToken);
            Fired = true;
            response.Dispose();
            throw new SimulatedCrashException();
        }

        return response;
    }
}
