using System.Text.Json;
using Microsoft.Extensions.Options;

namespace McpGrains.Adversary.Tests;

/// <summary>
/// The development settings are public (they are in git): outside the Development environment the real host refuses to
/// start with any of them, and says which key is at fault.
/// </summary>
public sealed class DevelopmentSettingsTests
{
    private const string DevelopmentHostKey = "dev-host-key-change-me-0123456789";

    [Fact]
    public void Production_WithAllowInsecureLoopback_RefusesToStart_NamingTheKey()
    {
        var failure = StartFailure(settings => settings["McpGrains:Security:AllowInsecureLoopback"] = "true");

        Assert.Contains("McpGrains:Security:AllowInsecureLoopback", failure, StringComparison.Ordinal);
        Assert.Contains("Development", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Production_WithTheDevelopmentHostKey_RefusesToStart_NamingTheKey()
    {
        var failure = StartFailure(settings => settings["McpGrains:HostApps:librechat:ApiKey"] = DevelopmentHostKey);

        Assert.Contains("McpGrains:HostApps:librechat:ApiKey", failure, StringComparison.Ordinal);
        Assert.DoesNotContain(DevelopmentHostKey, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Production_WithTheDevelopmentEncryptionKey_RefusesToStart_NamingTheKey()
    {
        var developmentKey = DevelopmentFile().GetProperty("McpGrains").GetProperty("Security").GetProperty("Keys").GetProperty("dev-only-1").GetString()!;

        // Under another id too: the value is what is public.
        var failure = StartFailure(settings => settings["McpGrains:Security:Keys:k2"] = developmentKey);

        Assert.Contains("McpGrains:Security:Keys:k2", failure, StringComparison.Ordinal);
        Assert.DoesNotContain(developmentKey, failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_WithOwnSettings_Starts()
    {
        await using var host = RunningHost.Start(ProductionSettings, environment: "Production");
        using var client = host.Client();

        using var servers = await client.GetAsync("/api/v1/servers");

        Assert.Equal(System.Net.HttpStatusCode.OK, servers.StatusCode);
    }

    [Fact]
    public void TheRefusedValues_AreTheOnesInAppsettingsDevelopmentJson()
    {
        var development = DevelopmentFile().GetProperty("McpGrains");

        Assert.True(development.GetProperty("Security").GetProperty("AllowInsecureLoopback").GetBoolean());
        Assert.Equal(DevelopmentHostKey, development.GetProperty("HostApps").GetProperty("dev").GetProperty("ApiKey").GetString());
        Assert.Equal(
            McpGrains.Host.DevelopmentSettings.EncryptionKey,
            development.GetProperty("Security").GetProperty("Keys").GetProperty("dev-only-1").GetString());
        Assert.Equal(DevelopmentHostKey, McpGrains.Host.DevelopmentSettings.HostKey);
    }

    /// <summary>A host that would start in Production: https base URL, no development value.</summary>
    private static void ProductionSettings(Dictionary<string, string?> settings)
    {
        settings["McpGrains:PublicBaseUrl"] = "https://mcpgrains.example";
        settings["McpGrains:Security:AllowInsecureLoopback"] = "false";
    }

    private static string StartFailure(Action<Dictionary<string, string?>> change)
    {
        var exception = Record.Exception(() =>
        {
            using var host = RunningHost.Start(
                settings =>
                {
                    ProductionSettings(settings);
                    change(settings);
                },
                environment: "Production");
        });

        Assert.NotNull(exception);
        var validation = Assert.IsType<OptionsValidationException>(exception);
        return string.Join("\n", validation.Failures);
    }

    private static JsonElement DevelopmentFile()
    {
        var path = Path.Combine(McpGrains.Testing.NodeTools.RepositoryRoot, "src", "McpGrains.Host", "appsettings.Development.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        return document.RootElement.Clone();
    }
}
