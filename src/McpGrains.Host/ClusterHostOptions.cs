namespace McpGrains.Host;

/// <summary><c>McpGrains:Cluster</c>: how the host joins (or forms) the cluster.</summary>
public sealed class ClusterHostOptions
{
    public const string SectionName = "McpGrains:Cluster";

    /// <summary>Orleans cluster id: processes with the same id and service id form one cluster.</summary>
    public string ClusterId { get; set; } = "mcpgrains";

    /// <summary>Orleans service id: the identity of stored state and reminders; keep it across deployments.</summary>
    public string ServiceId { get; set; } = "mcpgrains";

    /// <summary>The address other silos and clients use to reach this silo: an IP address or a host name resolved at start-up (default: loopback).</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>How long a front end keeps retrying a grain call refused because its silo died, while membership catches up.</summary>
    public TimeSpan FailoverRetryTime { get; set; } = TimeSpan.FromSeconds(30);
}
