using McpGrains.Configuration;
using McpGrains.Host;
using McpGrains.Persistence;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;

namespace McpGrains.Gateway.Tests.Configuration;

/// <summary>The start-up check of keys under <c>McpGrains:</c> against the sections the host binds.</summary>
public sealed class ConfigurationShapeTests
{
    private static readonly BoundConfigurationSection[] HostSections =
    [
        new(McpGrainsOptions.SectionName, typeof(McpGrainsOptions)),
        new(ClusterHostOptions.SectionName, typeof(ClusterHostOptions)),
        new(ClusterHostingExtensions.MembershipSectionName, typeof(ClusterMembershipOptions)),
        new(LocalSiloOptions.SectionName, typeof(LocalSiloOptions)),
        new(PostgresOptions.SectionName, typeof(PostgresOptions)),
        new(HostRoles.ConfigurationKey, typeof(string)),
    ];

    private static IReadOnlyList<string> Check(params (string Key, string? Value)[] settings) =>
        ConfigurationShape.Check(
            new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, s.Value))).Build(),
            McpGrainsOptions.SectionName,
            HostSections);

    [Fact]
    public void EveryDocumentedShape_Passes()
    {
        Assert.Empty(Check(
            ("McpGrains:PublicBaseUrl", "https://gw.example"),
            ("McpGrains:Role", "silo"),
            ("McpGrains:Servers:github:Url", "https://api.example/mcp"),
            ("McpGrains:Servers:github:OAuth:Scopes", "repo read:user"),
            ("McpGrains:Servers:linear:Url", "https://linear.example/mcp"),
            ("McpGrains:Servers:linear:OAuth:Scopes:0", "read"),
            ("McpGrains:Servers:linear:OAuth:Scopes:1", "write"),
            ("McpGrains:Servers:linear:OAuth:SendResource", "false"),
            ("McpGrains:HostApps:librechat:ApiKey", "0123456789abcdef"),
            ("McpGrains:Security:Keys:k1", "base64"),
            ("McpGrains:Security:AllowedReturnUrls:0", "https://chat.example/"),
            ("McpGrains:Security:AllowInsecureLoopback", "False"),
            ("McpGrains:Authorization:RefreshSkew", "00:00:30"),
            ("McpGrains:Upstream:CloseTimeout", "00:00:05"),
            ("McpGrains:Cluster:ServiceId", "svc"),
            ("McpGrains:Cluster:Membership:ProbeTimeout", "00:00:02"),
            ("McpGrains:Orleans:SiloPort", "11112"),
            ("McpGrains:Postgres:ConnectionString", "Host=db"),
            ("McpGrains:Servers", null),
            ("Logging:LogLevel:Default", "Information")));
    }

    [Theory]
    [InlineData("McpGrains:Upstream:CloseTimeout", "5s", "McpGrains:Upstream:CloseTimeout must be a duration such as 00:00:30.")]
    [InlineData("McpGrains:Security:AllowInsecureLoopback", "yes", "McpGrains:Security:AllowInsecureLoopback must be true or false.")]
    [InlineData("McpGrains:Orleans:SiloPort", "eleven", "McpGrains:Orleans:SiloPort must be a whole number.")]
    [InlineData("McpGrains:Upstream:RetryCount", "3", "McpGrains:Upstream:RetryCount is not a setting McpGrains knows; check its spelling and where it sits.")]
    [InlineData("McpGrains:Nope:Deeper", "x", "McpGrains:Nope is not a setting McpGrains knows; check its spelling and where it sits.")]
    [InlineData("McpGrains:RedirectUri", "https://x.example/cb", "McpGrains:RedirectUri is not a setting McpGrains knows; check its spelling and where it sits.")]
    [InlineData("McpGrains:Servers:a:Url:0", "https://a.example", "McpGrains:Servers:a:Url must be a single value, not a list or a section.")]
    [InlineData("McpGrains:Servers:a", "https://a.example", "McpGrains:Servers:a must be a section (McpGrains:Servers:a:<setting>...), not a single value.")]
    [InlineData("McpGrains:HostApps", "key", "McpGrains:HostApps must be a section of named entries (McpGrains:HostApps:<name>...), not a single value.")]
    [InlineData("McpGrains:Security:AllowedReturnUrls", "https://chat.example/", "McpGrains:Security:AllowedReturnUrls must be a list (McpGrains:Security:AllowedReturnUrls:0, McpGrains:Security:AllowedReturnUrls:1, ... or a JSON array), not a single value.")]
    [InlineData("McpGrains:Cluster:Membership:NumProbedSilos", "three", "McpGrains:Cluster:Membership:NumProbedSilos must be a whole number.")]
    [InlineData("McpGrains:Role:0", "silo", "McpGrains:Role must be a single value, not a list or a section.")]
    public void UnbindableKey_IsNamed(string key, string value, string expected)
    {
        Assert.Equal([expected], Check((key, value)));
    }

    [Fact]
    public void EveryProblem_IsReported_NotOnlyTheFirst()
    {
        var problems = Check(
            ("McpGrains:Servers:a:OAuth:SendResource", "maybe"),
            ("McpGrains:Servers:b:Transprot", "sse"),
            ("McpGrains:Authorization:PendingLifetime", "ten minutes"));

        Assert.Equal(3, problems.Count);
    }

    [Fact]
    public void ValueOfAKeyNamedBadly_IsNotQuoted()
    {
        var problems = Check(("McpGrains:Upstream:IdleTimeout", "secret-looking-value-0123456789"));

        Assert.DoesNotContain(problems, p => p.Contains("secret-looking-value", StringComparison.Ordinal));
    }
}
