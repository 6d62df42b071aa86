using System.Text;

namespace McpGrains.OAuth.Tests.Fuzzing;

/// <summary>A text input of a fuzz property; prints escaped, so that a failing input can be read and replayed.</summary>
public sealed record FuzzText(string Value)
{
    public override string ToString() => Escape(Value);

    internal static string Escape(string value)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in value)
        {
            builder.Append(c is >= ' ' and <= '~' and not '"' and not '\\' ? c.ToString() : $"\\u{(int)c:x4}");
        }

        return builder.Append('"').ToString();
    }
}
