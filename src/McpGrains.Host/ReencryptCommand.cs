using McpGrains.Persistence;
using Npgsql;

namespace McpGrains.Host;

/// <summary>
/// <c>McpGrains.Host reencrypt</c>: after a key rotation (new key added and made active on every node), re-wraps every
/// connection's data key and re-encrypts every stored client secret under the active key, through the running
/// cluster, so that the old key can then be removed. Safe to repeat; the cluster keeps serving meanwhile.
/// </summary>
public static class ReencryptCommand
{
    public const string Name = "reencrypt";

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(args.Skip(1).ToArray());
        var connectionString = builder.Configuration[$"{PostgresOptions.SectionName}:ConnectionString"];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            await Console.Error.WriteLineAsync($"reencrypt: {PostgresOptions.SectionName}:ConnectionString is not set; re-encryption works on the PostgreSQL store.");
            return 2;
        }

        // The silos that re-encrypt hold the keys and have checked them; this client decrypts nothing.
        builder.AddMcpGrainsCluster(HostRole.Frontend, checkKeys: false);
        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        try
        {
            var serviceId = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ClusterHostOptions>>().Value.ServiceId;
            var grains = host.Services.GetRequiredService<IGrainFactory>();
            var (sessions, servers) = await ReadKeysAsync(connectionString, serviceId, cancellationToken);
            var changed = 0;
            foreach (var server in servers)
            {
                changed += await grains.GetGrain<IMcpServerGrain>(server).RewrapSecretsAsync(cancellationToken) ? 1 : 0;
            }

            foreach (var session in sessions)
            {
                changed += await grains.GetGrain<IMcpSessionGrain>(session).RewrapSecretsAsync(cancellationToken) ? 1 : 0;
            }

            await Console.Out.WriteLineAsync($"reencrypt: {sessions.Count} connection(s) and {servers.Count} server(s) checked, {changed} re-encrypted under the active key.");
            return 0;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>The keys of the grains that hold secrets: sessions with a data key, servers with a registration.</summary>
    private static async Task<(List<string> Sessions, List<string> Servers)> ReadKeysAsync(string connectionString, string serviceId, CancellationToken cancellationToken)
    {
        var sessions = new List<string>();
        var servers = new List<string>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT grain_type, grain_id_extension FROM orleans_grain_state WHERE service_id = @service AND payload IS NOT NULL AND grain_type IN ('data-key', 'server')",
            connection);
        command.Parameters.AddWithValue("service", serviceId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var key = reader.IsDBNull(1) ? null : reader.GetString(1);
            if (key is null)
            {
                continue;
            }

            (reader.GetString(0) == "server" ? servers : sessions).Add(key);
        }

        return (sessions, servers);
    }
}
