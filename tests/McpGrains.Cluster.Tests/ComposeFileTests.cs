using McpGrains.Cluster.Tests.Compose;
using McpGrains.Cluster.Tests.Harness;
using McpGrains.Host;
using Microsoft.Extensions.Configuration;

namespace McpGrains.Cluster.Tests;

/// <summary>
/// No container engine here: compose.yaml is checked against the host instead. Services, the migrate command, roles,
/// start order, the one published port and every McpGrains__* key (it must be one the host binds).
/// </summary>
public sealed class ComposeFileTests
{
    private static readonly string Root = HostBuild.RepositoryRoot;
    private readonly ComposeFile _compose = ComposeFile.Load(Path.Combine(Root, "compose.yaml"));

    private IReadOnlyList<ComposeService> McpGrainsServices => [.. _compose.Services.Values.Where(s => s.Environment.Keys.Any(IsMcpGrainsKey))];

    private IReadOnlyList<ComposeService> Silos => [.. _compose.Services.Values.Where(s => s.Role == "silo")];

    private IReadOnlyList<ComposeService> FrontEnds => [.. _compose.Services.Values.Where(s => s.Role == "frontend")];

    [Fact]
    public void Postgres_IsVersion15WithAHealthCheck()
    {
        var postgres = _compose.Services["postgres"];

        Assert.StartsWith("postgres:15", postgres.Image, StringComparison.Ordinal);
        Assert.NotEmpty(ComposeFile.List(postgres.Healthcheck.GetValueOrDefault("test")));
    }

    [Fact]
    public void Migrate_RunsTheHostsMigrateCommand_AfterPostgresIsHealthy()
    {
        var migrate = _compose.Services["migrate"];

        Assert.Equal([MigrateCommand.Name], migrate.Command);
        Assert.Null(migrate.Role);
        Assert.True(migrate.Environment.ContainsKey("McpGrains__Postgres__ConnectionString"));
        Assert.Equal("service_healthy", migrate.DependsOn.GetValueOrDefault("postgres"));
    }

    [Fact]
    public void TwoSilos_StartAfterMigrateCompleted_EachAdvertisingItsOwnName()
    {
        Assert.Equal(2, Silos.Count);
        foreach (var silo in Silos)
        {
            Assert.Equal("service_completed_successfully", silo.DependsOn.GetValueOrDefault("migrate"));
            Assert.Empty(silo.Command);
            Assert.Equal(silo.Name, silo.Environment.GetValueOrDefault("McpGrains__Cluster__AdvertisedAddress"));
            Assert.NotEmpty(silo.Healthcheck);
        }
    }

    [Fact]
    public void TwoFrontEnds_StartAfterEverySiloIsHealthy()
    {
        Assert.Equal(2, FrontEnds.Count);
        foreach (var frontEnd in FrontEnds)
        {
            foreach (var silo in Silos)
            {
                Assert.Equal("service_healthy", frontEnd.DependsOn.GetValueOrDefault(silo.Name));
            }

            Assert.NotEmpty(frontEnd.Healthcheck);
        }
    }

    [Fact]
    public void OnePublishedPort_IsAProxyToBothFrontEnds()
    {
        var published = Assert.Single(_compose.Services.Values, s => s.Ports.Count > 0);
        Assert.Single(published.Ports);
        Assert.DoesNotContain(published, McpGrainsServices);
        foreach (var frontEnd in FrontEnds)
        {
            Assert.Equal("service_healthy", published.DependsOn.GetValueOrDefault(frontEnd.Name));
        }

        // The proxy's configuration is a file of this repository, and it names every front end at the host's port.
        var configuration = published.Volumes
            .Select(volume => volume.Split(':')[0])
            .Where(source => source.StartsWith("./", StringComparison.Ordinal))
            .Select(source => Path.Combine(Root, source[2..]))
            .Single();
        Assert.True(File.Exists(configuration), $"{configuration} is missing");
        var text = File.ReadAllText(configuration);
        foreach (var frontEnd in FrontEnds)
        {
            Assert.Contains($"server {frontEnd.Name}:8080", text, StringComparison.Ordinal);
        }

        Assert.Contains("ASPNETCORE_HTTP_PORTS=8080", File.ReadAllText(Path.Combine(Root, "Dockerfile")), StringComparison.Ordinal);
    }

    [Fact]
    public void EveryMcpGrainsService_IsTheImageBuiltFromTheRepositoryDockerfile()
    {
        var dockerfile = File.ReadAllText(Path.Combine(Root, "Dockerfile"));
        Assert.Contains("dotnet publish src/McpGrains.Host/McpGrains.Host.csproj", dockerfile, StringComparison.Ordinal);
        Assert.Contains("ENTRYPOINT [\"dotnet\", \"McpGrains.Host.dll\"]", dockerfile, StringComparison.Ordinal);
        Assert.Equal(5, McpGrainsServices.Count);
        foreach (var service in McpGrainsServices)
        {
            Assert.Equal(".", service.Build.GetValueOrDefault("context") as string);
            Assert.Equal("Dockerfile", service.Build.GetValueOrDefault("dockerfile") as string);
        }
    }

    [Fact]
    public void EveryMcpGrainsEnvironmentKey_IsAKeyTheHostBinds()
    {
        var unknown = McpGrainsServices
            .SelectMany(service => service.Environment.Keys.Where(IsMcpGrainsKey).Select(key => (Service: service.Name, Key: key)))
            .Where(entry => !HostConfigurationKeys.IsKnown(HostConfigurationKeys.FromEnvironmentVariable(entry.Key)))
            .ToList();

        Assert.True(unknown.Count == 0, "keys the host does not read: " + string.Join(", ", unknown));
    }

    [Fact]
    public void EveryNode_SharesTheDatabaseClusterAndKeyRing_AndHasAValidRole()
    {
        string[] shared =
        [
            "McpGrains__Postgres__ConnectionString", "McpGrains__Cluster__ClusterId", "McpGrains__Cluster__ServiceId",
            "McpGrains__Security__ActiveKeyId", "McpGrains__Security__Keys__k1", "McpGrains__PublicBaseUrl",
        ];
        var nodes = Silos.Concat(FrontEnds).ToList();
        foreach (var key in shared)
        {
            var values = nodes.Select(node => node.Environment.GetValueOrDefault(key)).Distinct().ToList();
            Assert.True(values.Count == 1 && values[0] is { Length: > 0 }, $"{key} differs between nodes or is missing: {string.Join(" | ", values)}");
        }

        Assert.Equal(
            _compose.Services["migrate"].Environment.GetValueOrDefault("McpGrains__Postgres__ConnectionString"),
            nodes[0].Environment["McpGrains__Postgres__ConnectionString"]);
        foreach (var node in nodes)
        {
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(node.Environment.Select(pair => KeyValuePair.Create(HostConfigurationKeys.FromEnvironmentVariable(pair.Key), (string?)pair.Value)))
                .Build();
            Assert.Contains(HostRoles.Read(configuration), new[] { HostRole.Silo, HostRole.Frontend });
            // Values without ${...} interpolation must bind as the host binds them (e.g. TimeSpan formats).
            var cluster = configuration.GetSection(ClusterHostOptions.SectionName).Get<ClusterHostOptions>();
            Assert.NotNull(cluster);
        }
    }

    [Fact]
    public void EveryNode_RunsInProduction_UnlessALocalTryAsksForDevelopmentWithInsecureLoopback()
    {
        // The host refuses AllowInsecureLoopback outside Development: the local try over http sets both, nothing else.
        foreach (var node in Silos.Concat(FrontEnds))
        {
            Assert.Equal("${MCPGRAINS_ENVIRONMENT:-Production}", node.Environment.GetValueOrDefault("ASPNETCORE_ENVIRONMENT"));
            Assert.Equal("${MCPGRAINS_ALLOW_INSECURE_LOOPBACK:-false}", node.Environment.GetValueOrDefault("McpGrains__Security__AllowInsecureLoopback"));
        }

        var localTry = File.ReadAllLines(Path.Combine(Root, "README.md")).Single(line => line.Contains("MCPGRAINS_ALLOW_INSECURE_LOOPBACK=true", StringComparison.Ordinal));
        Assert.Contains("MCPGRAINS_ENVIRONMENT=Development", localTry, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("McpGrains__Role", true)]
    [InlineData("McpGrains__Postgres__ConnectionString", true)]
    [InlineData("McpGrains__Cluster__Membership__ProbeTimeout", true)]
    [InlineData("McpGrains__Orleans__GatewayPort", true)]
    [InlineData("McpGrains__Servers__github__OAuth__ClientId", true)]
    [InlineData("McpGrains__Security__AllowedReturnUrls__0", true)]
    [InlineData("McpGrains__Security__Keys__k1", true)]
    [InlineData("McpGrains__Securty__Keys__k1", false)]
    [InlineData("McpGrains__Cluster__Membership__ProbeTimout", false)]
    [InlineData("McpGrains__Servers__github", false)]
    [InlineData("McpGrains__Security__AllowedReturnUrls__first", false)]
    [InlineData("McpGrains__RedirectUri", false)]
    public void KeyCatalog_TellsKeysTheHostBindsFromTypos(string variable, bool known) =>
        Assert.Equal(known, HostConfigurationKeys.IsKnown(HostConfigurationKeys.FromEnvironmentVariable(variable)));

    private static bool IsMcpGrainsKey(string key) => key.StartsWith("McpGrains__", StringComparison.Ordinal);
}
