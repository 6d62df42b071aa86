using System.Data.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace McpGrains.Host;

/// <summary>
/// Turns a state-store outage (PostgreSQL unreachable) surfacing from a grain call into 503 problem+json with a clear
/// message, so callers retry instead of seeing a bare 500. Nothing was changed: grain state writes are all-or-nothing.
/// </summary>
public sealed partial class StorageUnavailableExceptionHandler : IExceptionHandler
{
    private readonly IProblemDetailsService _problems;
    private readonly ILogger<StorageUnavailableExceptionHandler> _logger;

    public StorageUnavailableExceptionHandler(IProblemDetailsService problems, ILogger<StorageUnavailableExceptionHandler> logger)
    {
        _problems = problems;
        _logger = logger;
    }

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsStorageOutage(exception))
        {
            return false;
        }

        LogStorageUnavailable(_logger, exception.GetType().Name);
        httpContext.RequestServices.GetService<McpGrains.Telemetry.McpGrainsMetrics>()?.StorageWasUnavailable();
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = "5";
        return await _problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The state store is unavailable",
                Detail = "McpGrains cannot reach its PostgreSQL database right now; nothing was changed. Retry shortly.",
                Extensions = { ["code"] = "storage_unavailable" },
            },
        });
    }

    public static bool IsStorageOutage(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is DbException || current.GetType().FullName?.StartsWith("Npgsql.", StringComparison.Ordinal) == true)
            {
                return true;
            }

            if (current is AggregateException aggregate && aggregate.InnerExceptions.Any(IsStorageOutage))
            {
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(7001, LogLevel.Warning, "A request failed because the state store is unavailable ({ExceptionType}); answered 503")]
    private static partial void LogStorageUnavailable(ILogger logger, string exceptionType);
}
