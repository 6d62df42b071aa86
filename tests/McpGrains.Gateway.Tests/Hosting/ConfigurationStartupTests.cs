using McpGrains.Configuration;
using McpGrains.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace McpGrains.Gateway.Tests.Hosting;

/// <summary>
/// The real host's start-up with a value under <c>McpGrains:</c> that cannot be bound, one per options section: it stops,
/// naming the full key, instead of dropping the value (or a whole server) and starting anyway.
/// </summary>
public sealed class ConfigurationStartupTests
{
    public static TheoryData<string, string, string> UnbindableValues => new()
    {
        // section                                  key                                                    value
        { "McpGrains", "McpGrains:UserIdHeader:0", "X-User" },
        { "McpGrains (unknown)", "McpGrains:PublicBaseUri", "https://typo.example" },
        { "Servers:<id>", "McpGrains:Servers:alpha:Transport:0", "sse" },
        { "Servers:<id> (unknown)", "McpGrains:Servers:alpha:Uri", "https://alpha.example/mcp" },
        // Before: the binder swallowed this failure inside the Servers dictionary and started without alpha.
        { "Servers:<id>:OAuth", "McpGrains:Servers:alpha:OAuth:SendResource", "maybe" },
        { "Servers:<id>:OAuth (unknown)", "McpGrains:Servers:alpha:OAuth:Scope", "mcp:tools" },
        { "Servers (a value, not entries)", "McpGrains:Servers", "https://alpha.example/mcp" },
        { "HostApps:<name>", "McpGrains:HostApps:app-one:ApiKey:0", "app-one-key-0123456789abcdef" },
        { "Security", "McpGrains:Security:AllowInsecureLoopback", "yes" },
        { "Security:Keys", "McpGrains:Security:Keys", "not-a-dictionary" },
        { "Security:AllowedReturnUrls", "McpGrains:Security:AllowedReturnUrls", "https://chat.example/" },
        { "Authorization", "McpGrains:Authorization:RefreshSkew", "a minute" },
        { "Upstream", "McpGrains:Upstream:CloseTimeout", "5s" },
        { "Cluster", "McpGrains:Cluster:FailoverRetryTime", "soon" },
        { "Cluster:Membership", "McpGrains:Cluster:Membership:NumProbedSilos", "three" },
        { "Orleans", "McpGrains:Orleans:GatewayPort:0", "30000" },
        { "Postgres", "McpGrains:Postgres:ConnectionString:0", "Host=db" },
        { "Postgres (unknown)", "McpGrains:Postgres:Connection", "Host=db" },
    };

    [Theory]
    [MemberData(nameof(UnbindableValues))]
    public void UnbindableValue_StopsStartUp_NamingTheKey(string section, string key, string value)
    {
        using var factory = new McpGrainsHostFactory(s => s[key] = value);

        var exception = Assert.Throws<OptionsValidationException>(() => factory.CreateClient(hostAppKey: null));

        var named = ParentOfListEntry(key);
        Assert.True(exception.Failures.Any(f => f.StartsWith(named + " ", StringComparison.Ordinal)), $"{section}: no failure names {named}: {string.Join(" | ", exception.Failures)}");
        Assert.DoesNotContain(exception.Failures, f => f.Contains(value, StringComparison.Ordinal) && value.Length > 8);
    }

    public static TheoryData<string, string[]> ScopeShapes => new()
    {
        { "string with spaces", ["McpGrains:Servers:alpha:OAuth:Scopes=mcp:tools mcp:read"] },
        { "string with commas", ["McpGrains:Servers:alpha:OAuth:Scopes=mcp:tools,mcp:read"] },
        { "array (environment: Scopes__0, Scopes__1)", ["McpGrains:Servers:alpha:OAuth:Scopes:0=mcp:tools", "McpGrains:Servers:alpha:OAuth:Scopes:1=mcp:read"] },
    };

    [Theory]
    [MemberData(nameof(ScopeShapes))]
    public async Task Scopes_AcceptBothShapes_AndTheServerIsListed(string shape, string[] settings)
    {
        using var factory = new McpGrainsHostFactory(s =>
        {
            foreach (var setting in settings)
            {
                var (key, value) = (setting[..setting.IndexOf('=')], setting[(setting.IndexOf('=') + 1)..]);
                s[key] = value;
            }
        });

        var servers = await factory.CreateClient(TestConfiguration.AppOneKey).GetStringAsync("/api/v1/servers");

        Assert.Contains("\"alpha\"", servers, StringComparison.Ordinal);
        var alpha = factory.Services.GetRequiredService<IOptions<McpGrainsOptions>>().Value.Servers["alpha"];
        Assert.True(alpha.OAuth.ScopeList.SequenceEqual(["mcp:tools", "mcp:read"]), $"{shape}: {string.Join(' ', alpha.OAuth.ScopeList)}");
    }

    [Fact]
    public async Task DocumentedShapes_StillBind_ReturnUrlsAsAListAndKeysAsADictionary()
    {
        using var factory = new McpGrainsHostFactory(s =>
        {
            s["McpGrains:Security:AllowedReturnUrls:1"] = "https://other.example/back";
            s["McpGrains:Security:Keys:k2"] = Convert.ToBase64String(new byte[32]);
        });

        using var client = factory.CreateClient(TestConfiguration.AppOneKey);
        await client.GetStringAsync("/api/v1/servers");

        var security = factory.Services.GetRequiredService<IOptions<McpGrainsOptions>>().Value.Security;
        Assert.Equal([TestConfiguration.AllowedReturnBase, "https://other.example/back"], security.AllowedReturnUrls);
        Assert.Equal(["k1", "k2"], security.Keys.Keys.Order(StringComparer.Ordinal));
    }

    /// <summary>A list entry where a single value belongs is reported at the single value's key.</summary>
    private static string ParentOfListEntry(string key) =>
        key.EndsWith(":0", StringComparison.Ordinal) ? key[..^2] : key;
}
