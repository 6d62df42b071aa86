namespace McpGrains.Cluster.Tests.Harness;

/// <summary>Where the host's build output and the repository are (the project reference builds the host first).</summary>
public static class HostBuild
{
    /// <summary>Overrides the host DLL to run (e.g. a published build).</summary>
    public const string DllVariable = "MCPGRAINS_HOST_DLL";

    private static readonly Lazy<string> Root = new(FindRepositoryRoot);
    private static readonly Lazy<string> Dll = new(FindHostDll);

    public static string RepositoryRoot => Root.Value;

    public static string DllPath => Dll.Value;

    /// <summary>The dotnet muxer running these tests (set by the SDK), else the one on PATH.</summary>
    public static string DotNetExecutable =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path) ? path : "dotnet";

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "McpGrains.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"McpGrains.sln not found above {AppContext.BaseDirectory}.");
    }

    private static string FindHostDll()
    {
        if (Environment.GetEnvironmentVariable(DllVariable) is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? configured : throw new FileNotFoundException($"{DllVariable} names a missing file.", configured);
        }

        // Same configuration and target framework as this test assembly: .../bin/<Configuration>/<tfm>/.
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testOutput.Name;
        var configuration = testOutput.Parent?.Name ?? "Debug";
        var dll = Path.Combine(RepositoryRoot, "src", "McpGrains.Host", "bin", configuration, framework, "McpGrains.Host.dll");
        return File.Exists(dll)
            ? dll
            : throw new FileNotFoundException($"The host build output is missing: build src/McpGrains.Host (or set {DllVariable}).", dll);
    }
}
