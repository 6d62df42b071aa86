using Microsoft.Extensions.Options;
using Npgsql;

namespace McpGrains.Persistence;

/// <summary>Rejects a connection string Npgsql cannot parse and any invariant other than Npgsql.</summary>
public sealed class PostgresOptionsValidator : IValidateOptions<PostgresOptions>
{
    public ValidateOptionsResult Validate(string? name, PostgresOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        if (!string.Equals(options.Invariant, PostgresOptions.NpgsqlInvariant, StringComparison.Ordinal))
        {
            failures.Add($"{PostgresOptions.SectionName}:Invariant must be '{PostgresOptions.NpgsqlInvariant}' (was '{options.Invariant}').");
        }

        if (options.IsConfigured)
        {
            try
            {
                var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
                if (string.IsNullOrWhiteSpace(builder.Host))
                {
                    failures.Add($"{PostgresOptions.SectionName}:ConnectionString has no Host.");
                }
            }
            catch (ArgumentException exception)
            {
                // The message of a parse failure names the bad keyword, not the value, so it is safe to show.
                failures.Add($"{PostgresOptions.SectionName}:ConnectionString is not a valid Npgsql connection string: {exception.Message}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
