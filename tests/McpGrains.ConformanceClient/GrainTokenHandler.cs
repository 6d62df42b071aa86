using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;

namespace McpGrains.ConformanceClient;

/// <summary>
/// Adds the user's bearer token from the session grain to every MCP request; on 401 authorizes again once, on 403
/// <c>insufficient_scope</c> authorizes again up to <see cref="MaxStepUps"/> times per request, then gives up.
/// </summary>
public sealed class GrainTokenHandler : DelegatingHandler
{
    public const int MaxStepUps = 2;

    private readonly UserConnector _connector;
    private readonly ILogger _logger;

    public GrainTokenHandler(UserConnector connector, ILogger logger)
        : base(new SocketsHttpHandler { AllowAutoRedirect = false })
    {
        _connector = connector;
        _logger = logger;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var unauthorizedRetries = 0;
        var stepUps = 0;
        while (true)
        {
            var token = await _connector.GetAccessTokenAsync(cancellationToken);
            using var attempt = Copy(request, body);
            if (token is not null)
            {
                attempt.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            var response = await base.SendAsync(attempt, cancellationToken);
            if (response.StatusCode == HttpStatusCode.Unauthorized && unauthorizedRetries++ < 1)
            {
                _logger.LogInformation("{Method} answered 401 ({Challenge}).", request.Method, Challenge(response));
                response.Dispose();
                await _connector.ReauthorizeAsync("401 from the MCP server", cancellationToken);
                continue;
            }

            if (response.StatusCode == HttpStatusCode.Forbidden && IsInsufficientScope(response))
            {
                if (stepUps++ < MaxStepUps)
                {
                    _logger.LogInformation("403 insufficient_scope ({Challenge}); step-up #{Count}.", Challenge(response), stepUps);
                    response.Dispose();
                    await _connector.ReauthorizeAsync("403 insufficient_scope", cancellationToken);
                    continue;
                }

                _logger.LogWarning("403 insufficient_scope after {Count} step-ups: giving up.", MaxStepUps);
            }

            return response;
        }
    }

    private static HttpRequestMessage Copy(HttpRequestMessage request, byte[]? body)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri) { Version = request.Version, VersionPolicy = request.VersionPolicy };
        foreach (var header in request.Headers)
        {
            if (!string.Equals(header.Key, "Authorization", StringComparison.OrdinalIgnoreCase))
            {
                copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        if (body is not null)
        {
            copy.Content = new ByteArrayContent(body);
            foreach (var header in request.Content!.Headers)
            {
                copy.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        foreach (var option in request.Options)
        {
            ((IDictionary<string, object?>)copy.Options)[option.Key] = option.Value;
        }

        return copy;
    }

    private static bool IsInsufficientScope(HttpResponseMessage response) =>
        response.Headers.WwwAuthenticate.Any(h => h.Parameter?.Contains("insufficient_scope", StringComparison.Ordinal) == true);

    private static string Challenge(HttpResponseMessage response) =>
        string.Join(", ", response.Headers.WwwAuthenticate.Select(h => $"{h.Scheme} {h.Parameter}"));
}
