using McpGrains.Grains.Upstream;
using McpGrains.OAuth;
using McpGrains.Testing;

namespace McpGrains.Grains.Tests;

/// <summary>An upstream connection's requests stay on its server's origin; the token never goes anywhere else.</summary>
public sealed class UpstreamOriginGuardTests : IAsyncLifetime
{
    private const string Token = "the-users-access-token";
    private RecordingListener _server = null!;
    private RecordingListener _elsewhere = null!;

    public async Task InitializeAsync()
    {
        _server = await RecordingListener.StartAsync();
        _elsewhere = await RecordingListener.StartAsync();
    }

    [Fact]
    public async Task SameOrigin_GoesOut_WithTheToken()
    {
        using var client = Client(allowPrivateNetwork: false, out _);

        using var response = await client.PostAsync(new Uri(_server.BaseUri, "/messages?sessionId=1"), content: null);

        Assert.Equal("Bearer " + Token, Assert.Single(_server.Hits).Authorization);
    }

    [Theory]
    [InlineData("{elsewhere}/steal")]
    [InlineData("https://{server-authority}/messages")]
    [InlineData("http://localhost:{server-port}/messages")]
    public async Task AnotherOrigin_IsRefusedBeforeAnythingIsSent(string template)
    {
        using var client = Client(allowPrivateNetwork: false, out _);
        var target = template
            .Replace("{elsewhere}", _elsewhere.BaseUri.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal)
            .Replace("{server-authority}", _server.BaseUri.Authority, StringComparison.Ordinal)
            .Replace("{server-port}", _server.BaseUri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        var ex = await Assert.ThrowsAsync<UpstreamDestinationRefusedException>(() => client.PostAsync(target, content: null));

        Assert.Contains("another origin", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("/steal", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_elsewhere.Hits);
        Assert.Empty(_server.Hits);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ServerAllowedOnPrivateNetworks_MarksItsRequests(bool allowPrivateNetwork)
    {
        using var client = Client(allowPrivateNetwork, out var marks);

        using var response = await client.GetAsync(new Uri(_server.BaseUri, "/sse"));

        Assert.Equal([allowPrivateNetwork], marks);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _elsewhere.DisposeAsync();
    }

    private HttpClient Client(bool allowPrivateNetwork, out List<bool> marks)
    {
        var credentials = new UpstreamCredentials { AccessToken = Token };
        var recorder = new MarkRecorder(new SocketsHttpHandler { UseProxy = false });
        marks = recorder.Marks;
        return new HttpClient(new UpstreamOriginGuard(new Uri(_server.BaseUri, "/sse"), allowPrivateNetwork, new BearerTokenHandler(credentials, recorder)));
    }

    /// <summary>Notes whether each request that reaches the network carries the private-network allowance.</summary>
    private sealed class MarkRecorder(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        public List<bool> Marks { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Marks.Add(PrivateNetworkAccess.IsAllowed(request));
            return base.SendAsync(request, cancellationToken);
        }
    }
}
