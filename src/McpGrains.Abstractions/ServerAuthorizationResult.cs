namespace McpGrains;

public enum ServerAuthorizationOutcome
{
    /// <summary>The server answered without asking for authorization.</summary>
    NotRequired = 0,

    /// <summary>Discovery and registration are done; <see cref="ServerAuthorizationResult.Authorization"/> is set.</summary>
    Ready = 1,

    /// <summary>Discovery or registration failed; <see cref="ServerAuthorizationResult.Error"/> says why.</summary>
    Failed = 2,
}

[GenerateSerializer, Immutable, Alias("McpGrains.ServerAuthorizationResult")]
public sealed record ServerAuthorizationResult(
    [property: Id(0)] ServerAuthorizationOutcome Outcome,
    [property: Id(1)] ServerAuthorization? Authorization,
    [property: Id(2)] SessionError? Error)
{
    public static ServerAuthorizationResult NotRequired { get; } = new(ServerAuthorizationOutcome.NotRequired, null, null);

    public static ServerAuthorizationResult Ready(ServerAuthorization authorization) => new(ServerAuthorizationOutcome.Ready, authorization, null);

    public static ServerAuthorizationResult Failed(SessionError error) => new(ServerAuthorizationOutcome.Failed, null, error);
}
