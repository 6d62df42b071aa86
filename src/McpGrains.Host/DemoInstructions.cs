using System.Text;
using McpGrains.Demo;

namespace McpGrains.Host;

/// <summary>What the demo prints once it runs: where everything is, and the next steps with the values of this run.</summary>
internal static class DemoInstructions
{
    public const string SignInLinkLabel = "Sign-in link for alice:";

    public static string Render(string baseUrl, string hostKey, DemoWorld world, string signInLink)
    {
        var mcp = $"{baseUrl}/mcp/{DemoCommand.ServerId}";
        return new StringBuilder()
            .AppendLine()
            .AppendLine("McpGrains demo is running: in memory, on 127.0.0.1 only, with keys made for this run. Ctrl+C stops it.")
            .AppendLine()
            .AppendLine($"  McpGrains            {baseUrl}   host app \"{DemoCommand.HostApp}\", key {hostKey}")
            .AppendLine($"  Demo MCP server      {world.McpUrl}   server id \"{DemoCommand.ServerId}\": tools whoami, echo, add")
            .AppendLine($"  Demo Identity        {world.Origin.Url}   its authorization server: any name, no password")
            .AppendLine()
            .AppendLine("1. Connect alice's demo account: open the link in a browser (it works for 10 minutes).")
            .AppendLine("   McpGrains' confirmation page > Continue > Demo Identity: type a name > Allow > Connected.")
            .AppendLine($"   {SignInLinkLabel} {signInLink}")
            .AppendLine()
            .AppendLine("2. Call a tool as alice (the MCP Inspector's command line, from npm):")
            .AppendLine($"   npx @modelcontextprotocol/inspector --cli {mcp} --transport http \\")
            .AppendLine($"     --header \"Authorization: Bearer {hostKey}\" --header \"X-User-Id: {DemoCommand.DemoUser}\" \\")
            .AppendLine("     --method tools/call --tool-name whoami")
            .AppendLine()
            .AppendLine($"3. Use it from a LibreChat on this machine (the demo listens on 127.0.0.1 only): in librechat.yaml, with")
            .AppendLine($"   MCPGRAINS_HOST_KEY={hostKey} in LibreChat's environment:")
            .AppendLine("   mcpServers:")
            .AppendLine($"     {DemoCommand.ServerId}:")
            .AppendLine("       type: streamable-http")
            .AppendLine($"       url: {mcp}")
            .AppendLine("       requiresOAuth: false")
            .AppendLine("       headers:")
            .AppendLine("         Authorization: \"Bearer ${MCPGRAINS_HOST_KEY}\"")
            .AppendLine("         X-User-Id: \"{{LIBRECHAT_USER_ID}}\"")
            .AppendLine("         X-User-Label: \"{{LIBRECHAT_USER_EMAIL}}\"")
            .AppendLine()
            .AppendLine("4. See alice's connections (and disconnect): mint a link to her connections page and open its url:")
            .AppendLine($"   curl -s -X POST -H \"Authorization: Bearer {hostKey}\" {baseUrl}/api/v1/users/{DemoCommand.DemoUser}/portal-links")
            .AppendLine()
            .ToString();
    }
}
