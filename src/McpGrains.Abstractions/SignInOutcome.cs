namespace McpGrains;

/// <summary>Where a sign-in link stands, for the browser that opened it.</summary>
public enum SignInOutcome
{
    /// <summary>Pending, and this browser may confirm it (nobody has, or this browser did).</summary>
    Ready = 0,

    /// <summary>Another browser pressed Continue first: the flow is bound to that browser.</summary>
    ClaimedByAnotherBrowser = 1,

    /// <summary>A newer sign-in of the same connection replaced this one.</summary>
    Superseded = 2,

    /// <summary>Nothing is pending: the sign-in was completed, failed or was cancelled.</summary>
    NotPending = 3,

    /// <summary>The sign-in outlived McpGrains:Authorization:PendingLifetime.</summary>
    Expired = 4,

    /// <summary>Binding mode oidc: the browser signed in at the organization as someone other than the host app named.</summary>
    IdentityMismatch = 5,
}
