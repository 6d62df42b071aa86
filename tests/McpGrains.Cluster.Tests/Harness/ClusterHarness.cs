using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using McpGrains.Testing;

namespace McpGrains.Cluster.Tests.Harness;

/// <summary>
/// A McpGrains cluster of real processes on loopback: a fresh PostgreSQL database (migrated by the host's own
/// <c>migrate</c> command), silo processes and front-end processes on free ports, one key ring, and the test's OAuth
/// authorization server and protected MCP server in this process. Every slot keeps its ports across restarts, so
/// <see cref="PublicBaseUrl"/> (front end 1) stays valid when the cluster is stopped and started again.
/// </summary>
public sealed class ClusterHarness : IAsyncDisposable
{
    public const string HostApp = "cluster-tests";
    public const string HostKey = "cluster-tests-host-key-0123456789";
    public const string ServerId = "protected";

    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly ClusterHarnessOptions _options;
    private readonly ProcessSlot[] _silos;
    private readonly ProcessSlot[] _frontEnds;
    private readonly string _clusterId = "cluster-" + Guid.NewGuid().ToString("N")[..8];
    private readonly ConcurrentQueue<string> _events = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(100) };

    private ClusterHarness(ClusterHarnessOptions options, PostgresServer postgres, string connectionString, TestAuthorizationServer authorizationServer, ProtectedMcpServer protectedServer)
    {
        _options = options;
        Postgres = postgres;
        ConnectionString = connectionString;
        AuthorizationServer = authorizationServer;
        ProtectedServer = protectedServer;
        Keys = new Dictionary<string, string>(StringComparer.Ordinal) { [options.InitialKeyId] = NewKey() };
        ActiveKeyId = options.InitialKeyId;
        _silos = [.. Enumerable.Range(1, options.Silos).Select(i => new ProcessSlot($"silo{i}", FreePorts.Next(), FreePorts.Next(), FreePorts.Next()))];
        _frontEnds = [.. Enumerable.Range(1, options.FrontEnds).Select(i => new ProcessSlot($"frontend{i}", FreePorts.Next(), 0, 0))];
    }

    public PostgresServer Postgres { get; }

    /// <summary>The cluster's database.</summary>
    public string ConnectionString { get; }

    public TestAuthorizationServer AuthorizationServer { get; }

    public ProtectedMcpServer ProtectedServer { get; }

    public TestBrowser Browser { get; } = new();

    /// <summary>What the harness did and how long it took (process starts and stops), for the test output.</summary>
    public IReadOnlyCollection<string> Events => _events;

    /// <summary>The key ring every process gets at its next start (add keys and switch <see cref="ActiveKeyId"/> to rotate).</summary>
    public Dictionary<string, string> Keys { get; }

    public string ActiveKeyId { get; set; }

    /// <summary>Front end 1: the redirect URI registered with the authorization server is {PublicBaseUrl}/oauth/callback.</summary>
    public Uri PublicBaseUrl => _frontEnds[0].BaseUri;

    public Uri CallbackPrefix => new(PublicBaseUrl, "/oauth/callback");

    /// <summary>Creates the database, migrates it and starts the in-process OAuth and MCP servers; no host process yet.</summary>
    public static async Task<ClusterHarness> CreateAsync(ClusterHarnessOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ClusterHarnessOptions();
        var postgres = options.Postgres ?? await PostgresServer.GetSharedAsync();
        var connectionString = await postgres.CreateDatabaseAsync(cancellationToken);
        var authorizationServer = await TestAuthorizationServer.StartAsync(cancellationToken: cancellationToken);
        var protectedServer = await ProtectedMcpServer.StartAsync(authorizationServer, cancellationToken: cancellationToken);
        var harness = new ClusterHarness(options, postgres, connectionString, authorizationServer, protectedServer);
        var (exitCode, output) = await RunMigrateAsync(connectionString);
        if (exitCode != 0)
        {
            await harness.DisposeAsync();
            throw new InvalidOperationException($"migrate exited with {exitCode}:\n{output}");
        }

        return harness;
    }

    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>Runs <c>McpGrains.Host migrate</c> against <paramref name="connectionString"/> (default: the cluster's database).</summary>
    public static async Task<(int ExitCode, string Output)> RunMigrateAsync(string connectionString)
    {
        await using var migrate = HostProcess.Start(
            "migrate",
            new Dictionary<string, string> { ["McpGrains__Postgres__ConnectionString"] = connectionString },
            ["migrate"]);
        var exitCode = await migrate.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (exitCode, migrate.Output);
    }

    /// <summary>Runs a command of the host (e.g. <c>reencrypt</c>) with the cluster's configuration, as a front end would see it.</summary>
    public async Task<(int ExitCode, string Output)> RunCommandAsync(string command)
    {
        var slot = _frontEnds[0];
        await using var process = HostProcess.Start(command, Environment(slot, "frontend"), [command]);
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(120));
        return (exitCode, process.Output);
    }

    public HostProcess Silo(int number) => _silos[number - 1].Process ?? throw new InvalidOperationException($"silo{number} is not running.");

    /// <summary>Where front end <paramref name="number"/> listens (kept across restarts).</summary>
    public Uri FrontEndUri(int number) => _frontEnds[number - 1].BaseUri;

    public HostProcess FrontEnd(int number) => _frontEnds[number - 1].Process ?? throw new InvalidOperationException($"frontend{number} is not running.");

    /// <summary>Starts every silo (in parallel), then every front end (front ends need a gateway to connect to).</summary>
    public async Task StartAsync()
    {
        await Task.WhenAll(Enumerable.Range(1, _silos.Length).Select(StartSiloAsync));
        await Task.WhenAll(Enumerable.Range(1, _frontEnds.Length).Select(StartFrontEndAsync));
    }

    public Task<HostProcess> StartSiloAsync(int number) => StartSlotAsync(_silos[number - 1], "silo");

    public Task<HostProcess> StartFrontEndAsync(int number) => StartSlotAsync(_frontEnds[number - 1], "frontend");

    /// <summary>
    /// Starts a silo without waiting for it to be ready, its usual settings changed by <paramref name="overrides"/>
    /// (environment variables): for tests of a start-up that must be refused.
    /// </summary>
    public HostProcess LaunchSilo(int number, IReadOnlyDictionary<string, string> overrides) => Launch(_silos[number - 1], "silo", overrides);

    /// <summary>Starts a front end without waiting for it to be ready; see <see cref="LaunchSilo"/>.</summary>
    public HostProcess LaunchFrontEnd(int number, IReadOnlyDictionary<string, string> overrides) => Launch(_frontEnds[number - 1], "frontend", overrides);

    /// <summary>Graceful stop of every process: front ends first, then silos (which leave the membership table cleanly).</summary>
    public async Task StopAsync()
    {
        await Task.WhenAll(_frontEnds.Select(StopSlotAsync));
        await Task.WhenAll(_silos.Select(StopSlotAsync));
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    /// <summary>A REST client for a front end (1-based), authenticated as the test host app.</summary>
    public HttpClient Client(int frontEnd)
    {
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = _frontEnds[frontEnd - 1].BaseUri, Timeout = TimeSpan.FromSeconds(100) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", HostKey);
        return client;
    }

    /// <summary>POST .../authorize through a front end; returns the authorization URL.</summary>
    public async Task<string> BeginAuthorizationAsync(string userId, int frontEnd)
    {
        using var response = await SendAsync(HttpMethod.Post, frontEnd, $"/api/v1/users/{userId}/connections/{ServerId}/authorize");
        var body = await ReadJsonAsync(response, HttpStatusCode.OK);
        Assert.True(
            body.GetProperty("status").GetString() == "authorization_required",
            $"authorize for {userId} answered {body}.\n{Diagnostics()}");
        return body.GetProperty("authorizationUrl").GetString()!;
    }

    /// <summary>
    /// Plays the browser through the sign-in link (confirmation page and Continue on front end 1, the public URL) and
    /// the authorization server, then lands on the callback through the given front end, with the browser's cookies.
    /// </summary>
    public Task<HttpResponseMessage> CompleteAuthorizationAsync(string signInLink, string userId, int frontEnd) =>
        // The browser lands wherever the load balancer sends it: here, on the chosen front end.
        Browser.CompleteSignInAsync(signInLink, CallbackPrefix, userId, callbackVia: _frontEnds[frontEnd - 1].BaseUri);

    /// <summary>A connected user: authorize through one front end, the callback through another.</summary>
    public async Task ConnectAsync(string userId, int authorizeVia = 1, int callbackVia = 1)
    {
        var authorizationUrl = await BeginAuthorizationAsync(userId, authorizeVia);
        using var callback = await CompleteAuthorizationAsync(authorizationUrl, userId, callbackVia);
        Assert.True(
            callback.StatusCode == HttpStatusCode.OK,
            $"callback for {userId} answered {(int)callback.StatusCode}: {await callback.Content.ReadAsStringAsync()}\n{Diagnostics()}");
    }

    public async Task<string?> GetStatusAsync(string userId, int frontEnd)
    {
        using var response = await SendAsync(HttpMethod.Get, frontEnd, $"/api/v1/users/{userId}/connections/{ServerId}");
        return (await ReadJsonAsync(response, HttpStatusCode.OK)).GetProperty("status").GetString();
    }

    /// <summary>POST .../tools/echo; returns the HTTP answer (the caller asserts).</summary>
    public Task<HttpResponseMessage> CallEchoAsync(string userId, string message, int frontEnd) =>
        SendAsync(HttpMethod.Post, frontEnd, $"/api/v1/users/{userId}/connections/{ServerId}/tools/echo", new { arguments = new { message } });

    /// <summary>Asserts that the echo tool answers through the given front end.</summary>
    public async Task AssertEchoWorksAsync(string userId, int frontEnd)
    {
        var message = "echo-" + Guid.NewGuid().ToString("N")[..8];
        using var response = await CallEchoAsync(userId, message, frontEnd);
        var body = await ReadJsonAsync(response, HttpStatusCode.OK);
        Assert.Contains(message, body.GetProperty("content")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, int frontEnd, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(_frontEnds[frontEnd - 1].BaseUri, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", HostKey);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await _http.SendAsync(request);
    }

    public async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(
            response.StatusCode == expected,
            $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery} answered {(int)response.StatusCode} (expected {(int)expected}): {text}\n{Diagnostics()}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The tail of every process's output, for assertion messages.</summary>
    public string Diagnostics()
    {
        var builder = new StringBuilder();
        foreach (var slot in _silos.Concat(_frontEnds))
        {
            if (slot.Process is not null)
            {
                builder.AppendLine(slot.Process.Tail(3000));
            }
        }

        return builder.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var slot in _silos.Concat(_frontEnds))
        {
            if (slot.Process is not null)
            {
                await slot.Process.DisposeAsync();
                slot.Process = null;
            }
        }

        _http.Dispose();
        Browser.Dispose();
        await ProtectedServer.DisposeAsync();
        await AuthorizationServer.DisposeAsync();
    }

    private async Task<HostProcess> StartSlotAsync(ProcessSlot slot, string role)
    {
        if (slot.Process is { HasExited: false })
        {
            throw new InvalidOperationException($"{slot.Name} is already running.");
        }

        if (slot.Process is not null)
        {
            await slot.Process.DisposeAsync();
        }

        var started = Stopwatch.StartNew();
        var process = HostProcess.Start(slot.Name, Environment(slot, role), ["--urls", slot.BaseUri.ToString().TrimEnd('/')], slot.BaseUri);
        slot.Process = process;
        await process.WaitUntilReadyAsync(StartTimeout);
        Record($"{slot.Name} ready in {started.Elapsed.TotalSeconds:F1} s");
        return process;
    }

    private HostProcess Launch(ProcessSlot slot, string role, IReadOnlyDictionary<string, string> overrides)
    {
        if (slot.Process is { HasExited: false })
        {
            throw new InvalidOperationException($"{slot.Name} is already running.");
        }

        var environment = Environment(slot, role);
        foreach (var (key, value) in overrides)
        {
            environment[key] = value;
        }

        slot.Process = HostProcess.Start(slot.Name, environment, ["--urls", slot.BaseUri.ToString().TrimEnd('/')], slot.BaseUri);
        return slot.Process;
    }

    private async Task StopSlotAsync(ProcessSlot slot)
    {
        if (slot.Process is { HasExited: false })
        {
            var stopping = Stopwatch.StartNew();
            await slot.Process.StopAsync();
            Record($"{slot.Name} stopped in {stopping.Elapsed.TotalSeconds:F1} s");
        }
    }

    private void Record(string line) => _events.Enqueue($"{_clock.Elapsed.TotalSeconds,6:F1} s  {line}");

    private Dictionary<string, string> Environment(ProcessSlot slot, string role)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["McpGrains__Role"] = role,
            ["McpGrains__Postgres__ConnectionString"] = ConnectionString,
            ["McpGrains__Cluster__ClusterId"] = _clusterId,
            ["McpGrains__Cluster__ServiceId"] = "mcpgrains-cluster-tests",
            ["McpGrains__Cluster__AdvertisedAddress"] = "127.0.0.1",
            ["McpGrains__Cluster__FailoverRetryTime"] = "00:00:30",
            // A SIGKILLed silo is declared dead within a few seconds instead of the production defaults.
            ["McpGrains__Cluster__Membership__ProbeTimeout"] = "00:00:01",
            ["McpGrains__Cluster__Membership__NumMissedProbesLimit"] = "2",
            ["McpGrains__Cluster__Membership__NumVotesForDeathDeclaration"] = "1",
            ["McpGrains__Cluster__Membership__TableRefreshTimeout"] = "00:00:02",
            ["McpGrains__Cluster__Membership__DeathVoteExpirationTimeout"] = "00:00:10",
            ["McpGrains__Cluster__Membership__IAmAliveTablePublishTimeout"] = "00:00:05",
            ["McpGrains__PublicBaseUrl"] = PublicBaseUrl.ToString().TrimEnd('/'),
            ["McpGrains__Security__AllowInsecureLoopback"] = "true",
            ["McpGrains__Security__ActiveKeyId"] = ActiveKeyId,
            [$"McpGrains__HostApps__{HostApp}__ApiKey"] = HostKey,
            [$"McpGrains__Servers__{ServerId}__Url"] = ProtectedServer.McpUri.ToString(),
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__McpGrains"] = "Information",
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
            ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",
        };
        foreach (var (id, key) in Keys)
        {
            settings[$"McpGrains__Security__Keys__{id}"] = key;
        }

        if (slot.SiloPort != 0)
        {
            settings["McpGrains__Orleans__SiloPort"] = slot.SiloPort.ToString(CultureInfo.InvariantCulture);
            settings["McpGrains__Orleans__GatewayPort"] = slot.GatewayPort.ToString(CultureInfo.InvariantCulture);
        }

        foreach (var (key, value) in _options.ExtraEnvironment)
        {
            settings[key] = value;
        }

        return settings;
    }

    private sealed class ProcessSlot(string name, int httpPort, int siloPort, int gatewayPort)
    {
        public string Name { get; } = name;

        public Uri BaseUri { get; } = new($"http://127.0.0.1:{httpPort.ToString(CultureInfo.InvariantCulture)}/");

        public int SiloPort { get; } = siloPort;

        public int GatewayPort { get; } = gatewayPort;

        public HostProcess? Process { get; set; }
    }
}
