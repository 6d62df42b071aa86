namespace McpGrains.Gateway.Pages;

/// <summary>A link on a page: its text and where it goes (an McpGrains URL).</summary>
public sealed record BrowserPageLink(string Text, string Href);
