using System.Net.Http.Headers;
using System.Text;

namespace McpGrains.OAuth;

/// <summary>
/// The Bearer challenge of a <c>WWW-Authenticate</c> header (RFC 9110 section 11.6.1, RFC 6750 section 3, RFC 9728
/// section 5.1). Parameter names are case-insensitive; values may be tokens or quoted strings.
/// </summary>
public sealed record WwwAuthenticateChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    private const string BearerScheme = "Bearer";
    private const string DpopScheme = "DPoP";

    public string? ResourceMetadata => Get("resource_metadata");

    public string? Scope => Get("scope");

    public string? Error => Get("error");

    public string? ErrorDescription => Get("error_description");

    public string? Realm => Get("realm");

    /// <summary>The first Bearer challenge across all <c>WWW-Authenticate</c> header lines, or null.</summary>
    public static WwwAuthenticateChallenge? Parse(HttpResponseHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (!headers.NonValidated.TryGetValues("WWW-Authenticate", out var values))
        {
            return null;
        }

        foreach (var value in values)
        {
            if (Parse(value) is { } challenge)
            {
                return challenge;
            }
        }

        return null;
    }

    /// <summary>
    /// The first Bearer challenge of one header value (which may hold several challenges), else the first DPoP challenge
    /// (RFC 9449 section 7.1: a server that accepts DPoP-bound tokens only), or null.
    /// </summary>
    public static WwwAuthenticateChallenge? Parse(string? headerValue)
    {
        if (string.IsNullOrWhiteSpace(headerValue))
        {
            return null;
        }

        var scanner = new Scanner(headerValue);
        WwwAuthenticateChallenge? dpop = null;
        while (!scanner.AtEnd)
        {
            scanner.SkipSeparators();
            var scheme = scanner.ReadToken();
            if (scheme.Length == 0)
            {
                // Not a token where a scheme should be: skip one character and resynchronise.
                scanner.Advance();
                continue;
            }

            var parameters = ReadParameters(ref scanner);
            if (string.Equals(scheme, BearerScheme, StringComparison.OrdinalIgnoreCase))
            {
                return new WwwAuthenticateChallenge(BearerScheme, parameters);
            }

            if (dpop is null && string.Equals(scheme, DpopScheme, StringComparison.OrdinalIgnoreCase))
            {
                dpop = new WwwAuthenticateChallenge(DpopScheme, parameters);
            }
        }

        return dpop;
    }

    private static Dictionary<string, string> ReadParameters(ref Scanner scanner)
    {
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        scanner.SkipSpaces();
        if (scanner.AtEnd || scanner.Peek == ',')
        {
            // A scheme with no parameters; the comma (if any) separates challenges.
            return parameters;
        }

        while (!scanner.AtEnd)
        {
            var mark = scanner.Position;
            var name = scanner.ReadToken();
            scanner.SkipSpaces();
            if (name.Length == 0 || scanner.AtEnd || scanner.Peek != '=')
            {
                // Not "name=": a token68 credential or the next challenge's scheme.
                scanner.Position = mark;
                if (parameters.Count == 0 && name.Length > 0)
                {
                    scanner.SkipToken68();
                }

                return parameters;
            }

            scanner.Advance();
            scanner.SkipSpaces();
            if (!scanner.AtEnd && scanner.Peek == '=')
            {
                // "abc==" is a token68, not a parameter.
                scanner.Position = mark;
                scanner.SkipToken68();
                return parameters;
            }

            var value = !scanner.AtEnd && scanner.Peek == '"' ? scanner.ReadQuotedString() : scanner.ReadToken();
            parameters.TryAdd(name, value);
            scanner.SkipSpaces();
            if (scanner.AtEnd)
            {
                return parameters;
            }

            if (scanner.Peek != ',')
            {
                // Garbage after a value: stop reading this challenge.
                return parameters;
            }

            scanner.SkipSeparators();
        }

        return parameters;
    }

    private string? Get(string name) => Parameters.TryGetValue(name, out var value) ? value : null;

    private ref struct Scanner(string text)
    {
        private readonly string _text = text;

        public int Position { get; set; }

        public readonly bool AtEnd => Position >= _text.Length;

        public readonly char Peek => _text[Position];

        public void Advance() => Position++;

        public void SkipSpaces()
        {
            while (!AtEnd && (Peek == ' ' || Peek == '\t'))
            {
                Position++;
            }
        }

        public void SkipSeparators()
        {
            while (!AtEnd && (Peek == ' ' || Peek == '\t' || Peek == ','))
            {
                Position++;
            }
        }

        public string ReadToken()
        {
            var start = Position;
            while (!AtEnd && IsTokenChar(Peek))
            {
                Position++;
            }

            return _text[start..Position];
        }

        public void SkipToken68()
        {
            while (!AtEnd && (IsTokenChar(Peek) || Peek == '=' || Peek == '/'))
            {
                Position++;
            }
        }

        public string ReadQuotedString()
        {
            Position++; // opening quote
            var value = new StringBuilder();
            while (!AtEnd)
            {
                var c = Peek;
                Position++;
                if (c == '"')
                {
                    break;
                }

                if (c == '\\' && !AtEnd)
                {
                    c = Peek;
                    Position++;
                }

                value.Append(c);
            }

            return value.ToString();
        }

        private static bool IsTokenChar(char c) =>
            c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9'
                or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~'
                or ':' or '/' or '?' or '@' or '[' or ']'; // lenient: unquoted URLs and scope lists seen in the wild
    }
}
