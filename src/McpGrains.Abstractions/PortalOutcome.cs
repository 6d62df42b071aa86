namespace McpGrains;

/// <summary>Where a connections-page link or page session stands, for the browser that presents it.</summary>
public enum PortalOutcome
{
    /// <summary>This browser may see the page.</summary>
    Ready = 0,

    /// <summary>The link is not known for that user (never issued, or issued for someone else).</summary>
    Unknown = 1,

    /// <summary>The link was opened before (it opens once), or the page is bound to another browser.</summary>
    Used = 2,

    /// <summary>The link, or the page session it started, is past its lifetime.</summary>
    Expired = 3,
}
