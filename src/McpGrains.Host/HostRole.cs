namespace McpGrains.Host;

/// <summary>What one process of the host runs (<c>McpGrains:Role</c>).</summary>
public enum HostRole
{
    /// <summary>Silo and front end in one process (the default).</summary>
    All = 0,

    /// <summary>A silo only: grains, storage, reminders; health endpoints only.</summary>
    Silo = 1,

    /// <summary>A front end only: an Orleans client reaching the cluster through its gateways.</summary>
    Frontend = 2,
}
