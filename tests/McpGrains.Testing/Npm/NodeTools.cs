using System.Diagnostics;

namespace McpGrains.Testing;

/// <summary>
/// The pinned Node tools (Node 22, server-everything, the conformance suites) from .ci/node-tools, installed on first
/// use by .ci/install-node-tools.sh into the repository's git-ignored .tools folder, so that `dotnet test` needs no
/// separate install step. Fails with a clear message when npm is missing.
/// </summary>
public static class NodeTools
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);
    private static IReadOnlyDictionary<string, string>? _paths;

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static async Task<IReadOnlyDictionary<string, string>> GetAsync()
    {
        if (_paths is not null)
        {
            return _paths;
        }

        await InstallLock.WaitAsync();
        try
        {
            if (_paths is not null)
            {
                return _paths;
            }

            var script = Path.Combine(RepositoryRoot, ".ci", "install-node-tools.sh");
            var start = new ProcessStartInfo("bash", [script])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = RepositoryRoot,
            };
            using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start bash to install the Node tools.");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"Installing the Node tools failed (exit {process.ExitCode}); they need node and npm on PATH and the npm registry. " +
                    $"Run .ci/install-node-tools.sh by hand to see why.{Environment.NewLine}{await stderr}");
            }

            _paths = (await stdout)
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(line => line.Split('=', 2))
                .Where(parts => parts.Length == 2)
                .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);
            return _paths;
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "McpGrains.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("McpGrains.sln was not found above the test binaries.");
    }
}
