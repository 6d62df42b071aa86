using System.Net;
using System.Text.Json;

namespace McpGrains.Testing.Tests;

internal sealed record TokenResult(HttpStatusCode Status, JsonElement Json)
{
    public bool IsSuccess => Status == HttpStatusCode.OK;

    public string? Error => String("error");

    public string AccessToken => String("access_token") ?? throw new InvalidOperationException($"No access_token: {Status} {Json}");

    public string? RefreshToken => String("refresh_token");

    public string? String(string name) =>
        Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
