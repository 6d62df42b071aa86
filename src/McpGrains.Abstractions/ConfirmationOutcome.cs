namespace McpGrains;

/// <summary>What a host app's confirmation of a flow did.</summary>
public enum ConfirmationOutcome
{
    /// <summary>The tokens are bound to the session: it is connected.</summary>
    Confirmed = 0,

    /// <summary>The host app named another user: the tokens were discarded and revoked.</summary>
    UserMismatch = 1,

    /// <summary>No tokens of this flow await confirmation (confirmed, discarded or replaced already): nothing changed.</summary>
    NotPending = 2,

    /// <summary>The confirmation came too late: the tokens were discarded and revoked.</summary>
    Expired = 3,
}
