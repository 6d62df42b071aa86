using System.Diagnostics;
using System.Text.Json;
using McpGrains.Testing;

namespace McpGrains.Gateway.Tests.Readme;

/// <summary>
/// README's librechat.yaml block is validated as LibreChat validates it: loaded with js-yaml, checked with the zod
/// schemas of librechat-data-provider (pinned in .ci/node-tools), and no key of it may be one LibreChat drops.
/// </summary>
public sealed class LibreChatConfigTests
{
    private static readonly string Script = Path.Combine(NodeTools.RepositoryRoot, "tests", "McpGrains.Testing", "Node", "validate-librechat-yaml.cjs");

    [Fact]
    public async Task ReadmeLibreChatBlock_IsAcceptedByLibreChatsSchema_AndDropsNoKey()
    {
        var result = await ValidateAsync(ReadmeYaml());

        Assert.True(result.Ok, string.Join("; ", result.Problems));
        Assert.Contains("github", result.Servers);
    }

    [Theory]
    [InlineData("mcpSettings:\n  allowedAddresses:\n    - \"mcpgrains.svc\"\n", "allowedAddresses")]
    [InlineData("    oauthDisabled: true\n", "oauthDisabled")]
    public async Task Validator_RefusesWhatLibreChatRejectsOrDrops(string addition, string expectedInProblem)
    {
        var yaml = addition.StartsWith("    ", StringComparison.Ordinal)
            ? ReadmeYaml().Replace("    requiresOAuth: false", "    requiresOAuth: false\n" + addition.TrimEnd('\n'), StringComparison.Ordinal)
            : ReadmeYaml()[..ReadmeYaml().IndexOf("mcpSettings:", StringComparison.Ordinal)] + addition;

        var result = await ValidateAsync(yaml);

        Assert.False(result.Ok);
        Assert.Contains(result.Problems, problem => problem.Contains(expectedInProblem, StringComparison.Ordinal));
    }

    /// <summary>The first yaml block of README's "Use with LibreChat" section.</summary>
    private static string ReadmeYaml()
    {
        var readme = File.ReadAllText(Path.Combine(NodeTools.RepositoryRoot, "README.md"));
        var section = readme[readme.IndexOf("## Use with LibreChat", StringComparison.Ordinal)..];
        var start = section.IndexOf("```yaml\n", StringComparison.Ordinal) + "```yaml\n".Length;
        return section[start..section.IndexOf("```", start, StringComparison.Ordinal)];
    }

    private static async Task<Validation> ValidateAsync(string yaml)
    {
        var tools = await NodeTools.GetAsync();
        var file = Path.Combine(Path.GetTempPath(), $"librechat-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, yaml);
        try
        {
            var start = new ProcessStartInfo(tools["NODE22"], [Script, file]) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.Environment["NODE_PATH"] = tools["NODE_MODULES"];
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(output.Length > 0, $"the validator printed nothing (exit {process.ExitCode}): {error}");
            var validation = JsonSerializer.Deserialize<Validation>(output, JsonSerializerOptions.Web)!;
            Assert.Equal(validation.Ok, process.ExitCode == 0);
            return validation;
        }
        finally
        {
            File.Delete(file);
        }
    }

    private sealed record Validation(bool Ok, string[] Servers, string[] Problems);
}
