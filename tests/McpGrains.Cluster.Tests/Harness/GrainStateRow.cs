using Npgsql;

namespace McpGrains.Cluster.Tests.Harness;

/// <summary>One row of <c>orleans_grain_state</c>, read straight from the database.</summary>
public sealed record GrainStateRow(string GrainType, string? GrainIdExtension, byte[]? Payload)
{
    public static async Task<IReadOnlyList<GrainStateRow>> ReadAllAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT grain_type, grain_id_extension, payload FROM orleans_grain_state ORDER BY grain_type, grain_id_extension", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<GrainStateRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new GrainStateRow(
                reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : (byte[])reader.GetValue(2)));
        }

        return rows;
    }

    public bool PayloadContains(ReadOnlySpan<byte> bytes) => Payload is not null && Payload.AsSpan().IndexOf(bytes) >= 0;

    public override string ToString() => $"{GrainType} {GrainIdExtension} ({Payload?.Length ?? 0} bytes)";
}
