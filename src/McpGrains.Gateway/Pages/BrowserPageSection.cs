namespace McpGrains.Gateway.Pages;

/// <summary>A part of a page under its own heading: facts and an optional form (the connections page has one per server).</summary>
public sealed record BrowserPageSection(
    string Heading,
    IReadOnlyList<KeyValuePair<string, string>> Facts,
    BrowserPageForm? Form = null);
