namespace McpGrains.OAuth.Tests.Fuzzing;

/// <summary>A byte input of a fuzz property (a response body); prints as base64 and as lenient text.</summary>
public sealed record FuzzBytes(byte[] Value)
{
    public override string ToString() =>
        $"{Convert.ToBase64String(Value)} ({FuzzText.Escape(System.Text.Encoding.UTF8.GetString(Value))})";
}
