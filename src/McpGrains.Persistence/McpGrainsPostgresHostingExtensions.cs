using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Serialization;
using Orleans.Storage;

namespace McpGrains.Persistence;

/// <summary>Points Orleans' ADO.NET clustering, grain storage and reminders at a PostgreSQL database migrated by
/// <see cref="PostgresMigrator"/>.</summary>
public static class McpGrainsPostgresHostingExtensions
{
    /// <summary>
    /// ADO.NET clustering, grain storage named <paramref name="storageName"/> and the reminder table, all in PostgreSQL.
    /// State is written with Orleans' own serializer (the [GenerateSerializer]/[Id] contract), registered as the keyed
    /// <see cref="IGrainStorageSerializer"/> for <paramref name="storageName"/>: register another keyed serializer under
    /// that name (for example an encrypting wrapper) and it is used instead. Clearing a state deletes its row (a
    /// disconnected or forgotten user leaves no row naming them).
    /// </summary>
    public static ISiloBuilder UseMcpGrainsPostgres(this ISiloBuilder builder, string connectionString, string storageName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentException.ThrowIfNullOrWhiteSpace(storageName);

        AllowNpgsqlExceptions(builder.Services);

        return builder
            .UseAdoNetClustering(options =>
            {
                options.Invariant = PostgresOptions.NpgsqlInvariant;
                options.ConnectionString = connectionString;
            })
            .AddMcpGrainsPostgresStorage(connectionString, storageName, deleteStateOnClear: true)
            .UseAdoNetReminderService(options =>
            {
                options.Invariant = PostgresOptions.NpgsqlInvariant;
                options.ConnectionString = connectionString;
            });
    }

    /// <summary>
    /// Another grain storage provider on the same database, with the same serializer. With
    /// <paramref name="deleteStateOnClear"/>, clearing a state deletes its row instead of emptying it.
    /// </summary>
    public static ISiloBuilder AddMcpGrainsPostgresStorage(this ISiloBuilder builder, string connectionString, string storageName, bool deleteStateOnClear)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentException.ThrowIfNullOrWhiteSpace(storageName);

        builder.Services.TryAddKeyedSingleton<IGrainStorageSerializer>(
            storageName,
            (services, _) => new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>()));
        return builder.AddAdoNetGrainStorage(storageName, options =>
        {
            options.Invariant = PostgresOptions.NpgsqlInvariant;
            options.ConnectionString = connectionString;
            options.DeleteStateOnClear = deleteStateOnClear;
        });
    }

    /// <summary>An Orleans client (front end) that finds the cluster's gateways in the PostgreSQL membership table.</summary>
    public static IClientBuilder UseMcpGrainsPostgresClustering(this IClientBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        AllowNpgsqlExceptions(builder.Services);

        return builder.UseAdoNetClustering(options =>
        {
            options.Invariant = PostgresOptions.NpgsqlInvariant;
            options.ConnectionString = connectionString;
        });
    }

    /// <summary>
    /// A storage failure in a silo (an <c>NpgsqlException</c>) travels back to the calling front end, which answers 503.
    /// Orleans serializes only exceptions of the namespaces it is told about (Microsoft, System, Azure by default);
    /// without Npgsql the silo cannot send the exception and the caller gets a <c>CodecNotFoundException</c> instead.
    /// Both ends need it: the silo to write the exception, the client to read it.
    /// </summary>
    private static void AllowNpgsqlExceptions(IServiceCollection services) =>
        services.Configure<ExceptionSerializationOptions>(options => options.SupportedNamespacePrefixes.Add("Npgsql"));
}
