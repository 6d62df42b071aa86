using System.Net;
using System.Text.Json;

namespace McpGrains.Adversary.Tests;

/// <summary>Assertions on problem+json answers.</summary>
internal static class Problems
{
    /// <summary>Asserts the status, the media type and the <c>code</c>; returns the problem document.</summary>
    public static async Task<JsonElement> AssertAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(
            response.StatusCode == status,
            $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery} answered {(int)response.StatusCode} (expected {(int)status}): {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.True(problem.TryGetProperty("code", out var actual) && actual.GetString() == code, $"expected code '{code}': {text}");
        return problem;
    }

    /// <summary>A 429 with a positive whole-second <c>Retry-After</c>; returns it.</summary>
    public static async Task<TimeSpan> AssertTooManyRequestsAsync(HttpResponseMessage response, string code)
    {
        await AssertAsync(response, HttpStatusCode.TooManyRequests, code);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.True(retryAfter is { TotalSeconds: >= 1 }, $"Retry-After was '{response.Headers.RetryAfter}'.");
        return retryAfter!.Value;
    }
}
