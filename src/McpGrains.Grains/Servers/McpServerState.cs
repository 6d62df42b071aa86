namespace McpGrains.Grains.Servers;

/// <summary>The persisted state of one server grain. Names and [Id]s are a stored contract.</summary>
[GenerateSerializer, Alias("McpGrains.McpServerState")]
public sealed class McpServerState
{
    [Id(0)] public DiscoveredAuthorizationServer? Discovery { get; set; }

    [Id(1)] public ClientRegistrationRecord? Registration { get; set; }
}
