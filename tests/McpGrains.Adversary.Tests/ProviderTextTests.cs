using McpGrains.Testing;

namespace McpGrains.Adversary.Tests;

/// <summary>
/// Text a token endpoint sends in <c>error</c> and <c>error_description</c> is untrusted: it reaches neither the
/// connection's <c>lastError</c> nor the logs beyond a bounded RFC 6749 error code (issue 10, finding 6).
/// </summary>
public sealed class ProviderTextTests : IAsyncLifetime
{
    private const string ServerId = "protected";
    private const string ForgedLine = "FORGED-LOG-LINE user=admin action=granted";
    private TestAuthorizationServer _authorizationServer = null!;
    private ProtectedMcpServer _mcp = null!;
    private RunningHost _host = null!;

    public async Task InitializeAsync()
    {
        _authorizationServer = await TestAuthorizationServer.StartAsync();
        _mcp = await ProtectedMcpServer.StartAsync(_authorizationServer);
        _host = RunningHost.Start(settings => settings[$"McpGrains:Servers:{ServerId}:Url"] = _mcp.McpUri.ToString());
    }

    public static TheoryData<string, string> HostileErrors => new()
    {
        // A line break and a forged log line inside the error code, plus a description that would fill the logs.
        { "invalid_grant\r\n" + ForgedLine, "invalid_response" },
        { "invalid_grant\n" + ForgedLine + new string('x', 100_000), "invalid_response" },
        // Only the code's alphabet, but far too long for one.
        { new string('a', 5_000), "invalid_response" },
        // A plain code passes as it is.
        { "invalid_grant", "invalid_grant" },
    };

    [Theory]
    [MemberData(nameof(HostileErrors))]
    public async Task TokenEndpointErrorText_IsKeptToABoundedCode_InLastErrorAndLogs(string error, string expectedCode)
    {
        var user = RunningHostConnections.NewUser();
        var link = await _host.AuthorizeAsync(user, ServerId);
        _authorizationServer.InjectTokenError(error, "line one\r\n" + ForgedLine + "\u001b[31m" + new string('y', 50_000));

        using var _ = await _host.FollowSignInAsync(link!, user);

        var lastError = (await _host.GetConnectionAsync(user, ServerId)).GetProperty("lastError");
        var message = lastError.GetProperty("message").GetString()!;
        Assert.Equal("token_exchange_failed", lastError.GetProperty("code").GetString());
        Assert.Contains($"({expectedCode})", message, StringComparison.Ordinal);
        Assert.True(message.Length <= 200, $"lastError is {message.Length} characters long");
        Assert.DoesNotContain(message, c => char.IsControl(c));
        Assert.DoesNotContain(_host.Logs.Entries, e => e.FullText.Contains("FORGED-LOG-LINE", StringComparison.Ordinal) || e.FullText.Contains("line one", StringComparison.Ordinal));
        Assert.DoesNotContain(_host.Logs.Entries, e => e.FullText.Contains(new string('a', 65), StringComparison.Ordinal));
        Assert.Contains(_host.Logs.Entries, e => e.Message.Contains(expectedCode, StringComparison.Ordinal) && e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _mcp.DisposeAsync();
        await _authorizationServer.DisposeAsync();
    }
}
