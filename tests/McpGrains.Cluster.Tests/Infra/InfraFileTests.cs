using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using McpGrains.Cluster.Tests.Compose;
using McpGrains.Cluster.Tests.Harness;
using McpGrains.Host;
using McpGrains.Host.Telemetry;
using McpGrains.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using static McpGrains.Cluster.Tests.Infra.KubernetesManifests;

namespace McpGrains.Cluster.Tests.Infra;

/// <summary>
/// No Kubernetes or Prometheus here (and kubeconform is not packaged for this machine): infra/kubernetes,
/// infra/grafana and infra/prometheus are checked against the host, as compose.yaml is. Every McpGrains__* key is one
/// the host binds, ports and probes are the host's, the migrate Job runs its command, selectors select, every
/// container is sized, and every mcpgrains_* metric in the dashboard and the alert rules is one the meter emits.
/// (tests/McpGrains.Adversary.Tests/Telemetry/PrometheusScrapeTests checks the rest against a real scrape.)
/// </summary>
public sealed partial class InfraFileTests
{
    private static readonly string Root = HostBuild.RepositoryRoot;
    private readonly KubernetesManifests _manifests = Load(Path.Combine(Root, "infra", "kubernetes"));

    private Dictionary<string, object?> Silo => _manifests.Named("Deployment", "mcpgrains-silo");

    private Dictionary<string, object?> FrontEnd => _manifests.Named("Deployment", "mcpgrains-frontend");

    [Fact]
    public void EveryMcpGrainsKey_InConfigMapSecretAndEnv_IsAKeyTheHostBinds()
    {
        var keys = _manifests.OfKind("ConfigMap").SelectMany(map => At(map, "data").Keys)
            .Concat(_manifests.OfKind("Secret").SelectMany(secret => At(secret, "stringData").Keys))
            .Concat(_manifests.Documents.Where(d => Str(d, "kind") is "Deployment" or "Job").SelectMany(Containers).SelectMany(c => Env(c).Keys))
            .Where(key => key.StartsWith("McpGrains__", StringComparison.Ordinal))
            .Distinct()
            .ToList();

        Assert.NotEmpty(keys);
        var unknown = keys.Where(key => !HostConfigurationKeys.IsKnown(HostConfigurationKeys.FromEnvironmentVariable(key))).ToList();
        Assert.True(unknown.Count == 0, "keys the host does not read: " + string.Join(", ", unknown));
    }

    [Fact]
    public void Silos_AdvertiseTheirPodIp_OnTheHostsOrleansPorts()
    {
        var container = Assert.Single(Containers(Silo));
        var env = Env(container);
        Assert.Equal("silo", Str(env["McpGrains__Role"], "value"));
        Assert.Equal("status.podIP", Str(At(At(env["McpGrains__Cluster__AdvertisedAddress"], "valueFrom"), "fieldRef"), "fieldPath"));
        var ports = Ports(container);
        var defaults = new LocalSiloOptions();
        Assert.Equal(defaults.SiloPort, ports["silo"]);
        Assert.Equal(defaults.GatewayPort, ports["gateway"]);
        Assert.True(int.Parse(Str(At(Silo, "spec"), "replicas")!, System.Globalization.CultureInfo.InvariantCulture) >= 2);
    }

    [Fact]
    public void FrontEnds_AreBehindTheService_AndOpenNoOrleansPort()
    {
        var container = Assert.Single(Containers(FrontEnd));
        Assert.Equal("frontend", Str(Env(container)["McpGrains__Role"], "value"));
        Assert.DoesNotContain("silo", Ports(container).Keys);

        var service = _manifests.Named("Service", "mcpgrains");
        var selector = StringMap(At(At(service, "spec"), "selector"));
        Assert.NotEmpty(selector);
        Assert.All(selector, label => Assert.Equal(label.Value, PodLabels(FrontEnd).GetValueOrDefault(label.Key)));
        Assert.Contains(selector, label => PodLabels(Silo).GetValueOrDefault(label.Key) != label.Value);
        Assert.Equal("http", Str(Assert.Single(Items(At(service, "spec"), "ports")), "targetPort"));
    }

    [Fact]
    public void EveryNode_ServesHttpOnTheImagesPort_ProbesTheHealthEndpoints_AndIsScrapedThere()
    {
        Assert.Contains("ASPNETCORE_HTTP_PORTS=8080", File.ReadAllText(Path.Combine(Root, "Dockerfile")), StringComparison.Ordinal);
        var settings = StringMap(At(_manifests.Named("ConfigMap", "mcpgrains-settings"), "data"));
        Assert.Equal("true", settings["McpGrains__Telemetry__Prometheus__Enabled"]);
        Assert.Contains("McpGrains__Telemetry__Prometheus__ScrapeKey", At(_manifests.Named("Secret", "mcpgrains-secrets"), "stringData").Keys);
        foreach (var workload in new[] { Silo, FrontEnd })
        {
            var annotations = StringMap(At(At(At(At(workload, "spec"), "template"), "metadata"), "annotations"));
            Assert.Equal(PrometheusScrapeOptions.Path, annotations["prometheus.io/path"]);
            Assert.Equal("8080", annotations["prometheus.io/port"]);
        }

        foreach (var container in Containers(Silo).Concat(Containers(FrontEnd)))
        {
            var ports = Ports(container);
            Assert.Equal(8080, ports["http"]);
            Assert.Equal(("/health/live", "http"), Probe(container, "livenessProbe"));
            Assert.Equal(("/health/ready", "http"), Probe(container, "readinessProbe"));
            Assert.Equal(("/health/live", "http"), Probe(container, "startupProbe"));
            Assert.Equal(["mcpgrains-settings"], container.GetValueOrDefault("envFrom") is IEnumerable<object?> from
                ? from.Select(ComposeFile.Map).Select(source => Str(At(source, "configMapRef"), "name")).OfType<string>().ToList()
                : []);
        }
    }

    [Fact]
    public void MigrateJob_RunsTheMigrateCommand_WithTheSecretsConnectionString()
    {
        var job = _manifests.Named("Job", "mcpgrains-migrate");
        var container = Assert.Single(Containers(job));
        Assert.Equal([MigrateCommand.Name], ComposeFile.List(container.GetValueOrDefault("args")));
        var secretRef = At(At(Env(container)["McpGrains__Postgres__ConnectionString"], "valueFrom"), "secretKeyRef");
        var secret = _manifests.Named("Secret", Str(secretRef, "name")!);
        Assert.Contains(Str(secretRef, "key")!, At(secret, "stringData").Keys);
    }

    [Fact]
    public void Secrets_HoldTheKeysHostAppKeysAndConnectionString_AsPlaceholders()
    {
        var secret = At(_manifests.Named("Secret", "mcpgrains-secrets"), "stringData");
        Assert.Contains(secret.Keys, key => key.StartsWith("McpGrains__Security__Keys__", StringComparison.Ordinal));
        Assert.Contains(secret.Keys, key => key.StartsWith("McpGrains__HostApps__", StringComparison.Ordinal) && key.EndsWith("__ApiKey", StringComparison.Ordinal));
        Assert.Contains("McpGrains__Postgres__ConnectionString", secret.Keys);
        Assert.All(secret.Values, value => Assert.Contains("REPLACE", Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        Assert.All(Containers(Silo).Concat(Containers(FrontEnd)), container => Assert.Contains(
            "mcpgrains-secrets",
            ((IEnumerable<object?>)container["envFrom"]!).Select(ComposeFile.Map).Select(source => Str(At(source, "secretRef"), "name"))));
    }

    [Fact]
    public void DisruptionBudgets_SelectTheSilosAndTheFrontEnds()
    {
        var budgets = _manifests.OfKind("PodDisruptionBudget").Select(budget => StringMap(At(At(At(budget, "spec"), "selector"), "matchLabels"))).ToList();
        foreach (var workload in new[] { Silo, FrontEnd })
        {
            var labels = PodLabels(workload);
            Assert.Single(budgets, selector => selector.All(label => labels.GetValueOrDefault(label.Key) == label.Value));
        }
    }

    [Fact]
    public void EveryContainer_HasRequestsAndLimits_RequestsBelowLimits()
    {
        var containers = _manifests.Documents.Where(d => Str(d, "kind") is "Deployment" or "Job").SelectMany(Containers).ToList();
        Assert.Equal(3, containers.Count);
        foreach (var container in containers)
        {
            var resources = At(container, "resources");
            foreach (var resource in new[] { "cpu", "memory" })
            {
                var request = Quantity(Str(At(resources, "requests"), resource));
                var limit = Quantity(Str(At(resources, "limits"), resource));
                Assert.True(request > 0 && request <= limit, $"{Str(container, "name")}: {resource} request {request} limit {limit}");
            }
        }
    }

    [Fact]
    public void Kustomization_ListsEveryManifest()
    {
        var kustomization = _manifests.Named("Kustomization", null!);
        Assert.Equal(
            _manifests.Files.Where(file => file != "kustomization.yaml").Order(StringComparer.Ordinal),
            ComposeFile.List(kustomization.GetValueOrDefault("resources")).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void DashboardAndAlerts_NameOnlyMetricsTheMeterEmits()
    {
        var emitted = EmittedPrometheusNames();
        var dashboard = File.ReadAllText(Path.Combine(Root, "infra", "grafana", "mcpgrains-dashboard.json"));
        var alerts = File.ReadAllText(Path.Combine(Root, "infra", "prometheus", "mcpgrains-alerts.yaml"));
        var named = MetricName().Matches(dashboard + "\n" + alerts).Select(match => match.Groups[1].Value).Distinct().ToList();

        Assert.Contains("mcpgrains_refreshes_total", named);
        // The other names (ASP.NET Core's) are checked against a real scrape (PrometheusScrapeTests).
        var unknown = named.Where(name => name.StartsWith("mcpgrains_", StringComparison.Ordinal) && !emitted.Contains(name)).ToList();
        Assert.True(unknown.Count == 0, $"not emitted: {string.Join(", ", unknown)}; emitted: {string.Join(", ", emitted.Order())}");

        // The alerts the operator needs: refresh failures, reauthorization bursts, storage, callbacks, circuit breakers.
        foreach (var metric in new[] { "mcpgrains_refreshes_total", "mcpgrains_reauthorizations_required_total", "mcpgrains_storage_unavailable_total", "mcpgrains_callbacks_total", "mcpgrains_upstream_circuit_breaker_opened_total" })
        {
            Assert.Contains(metric, MetricName().Matches(alerts).Select(match => match.Groups[1].Value));
        }
    }

    /// <summary>
    /// The Prometheus names of McpGrains' instruments, as the OpenTelemetry exporter writes them: dots become
    /// underscores, a unit of seconds adds <c>_seconds</c> (units in braces add nothing), counters end in
    /// <c>_total</c>, histograms are <c>_bucket</c>, <c>_sum</c> and <c>_count</c>.
    /// </summary>
    private static HashSet<string> EmittedPrometheusNames()
    {
        using var services = new ServiceCollection().AddMcpGrainsMetrics().BuildServiceProvider();
        var names = new HashSet<string>(StringComparer.Ordinal);
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name != McpGrainsTelemetry.MeterName)
                {
                    return;
                }

                var name = instrument.Name.Replace('.', '_') + (instrument.Unit == "s" ? "_seconds" : "");
                var type = instrument.GetType().GetGenericTypeDefinition();
                if (type == typeof(Counter<>))
                {
                    names.Add(name + "_total");
                }
                else if (type == typeof(Histogram<>))
                {
                    names.UnionWith([name + "_bucket", name + "_sum", name + "_count"]);
                }
                else
                {
                    names.Add(name);
                }
            },
        };
        listener.Start();
        services.GetRequiredService<McpGrainsMetrics>();
        return names.Where(name => name.StartsWith("mcpgrains_", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
    }

    private static Dictionary<string, int> Ports(Dictionary<string, object?> container) =>
        Items(container, "ports").ToDictionary(port => Str(port, "name")!, port => int.Parse(Str(port, "containerPort")!, System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);

    private static (string? Path, string? Port) Probe(Dictionary<string, object?> container, string probe)
    {
        var get = At(At(container, probe), "httpGet");
        return (Str(get, "path"), Str(get, "port"));
    }

    /// <summary>A Kubernetes quantity in base units (cores, bytes): 250m, 1, 512Mi, 1536Mi.</summary>
    private static double Quantity(string? value)
    {
        Assert.False(string.IsNullOrEmpty(value), "a resource quantity is missing");
        var units = new (string Suffix, double Factor)[] { ("m", 0.001), ("Ki", 1024), ("Mi", 1024d * 1024), ("Gi", 1024d * 1024 * 1024) };
        foreach (var (suffix, factor) in units)
        {
            if (value!.EndsWith(suffix, StringComparison.Ordinal))
            {
                return double.Parse(value[..^suffix.Length], System.Globalization.CultureInfo.InvariantCulture) * factor;
            }
        }

        return double.Parse(value!, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Metric names in PromQL: identifiers followed by a selector or a range.</summary>
    [GeneratedRegex(@"\b([a-z_][a-z0-9_]*)(?:\{|\[)")]
    private static partial Regex MetricName();
}
