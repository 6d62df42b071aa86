using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace McpGrains.Gateway.Endpoints;

/// <summary>
/// Answers a <see cref="SecretUnreadableException"/> from a grain call (stored secrets that this node's keys cannot
/// decrypt) with 500 problem+json, <c>code: secret_unreadable</c> and a message pointing at the key configuration,
/// instead of an anonymous 500. The grain has already logged which session and which secret.
/// </summary>
internal sealed class SecretUnreadableExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (Find(exception) is not { } unreadable || httpContext.Response.HasStarted)
        {
            return false;
        }

        httpContext.Response.StatusCode = StatusCodes.Status500InternalServerError;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "Stored secrets cannot be decrypted",
                Detail = unreadable.Message,
                Extensions = { ["code"] = SecretUnreadableException.Code },
            },
        });
    }

    private static SecretUnreadableException? Find(Exception? exception) => exception switch
    {
        null => null,
        SecretUnreadableException unreadable => unreadable,
        AggregateException aggregate => aggregate.InnerExceptions.Select(Find).FirstOrDefault(found => found is not null),
        _ => Find(exception.InnerException),
    };
}
