using McpGrains.Configuration;
using McpGrains.Gateway.Logging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace McpGrains.Gateway.Mcp;

/// <summary>
/// At start-up, warns about servers whose ids make tool names a model cannot call: OpenAI-style providers accept
/// 64 characters of <c>[A-Za-z0-9_-]</c>, and both <c>authorize_{serverId}</c> and LibreChat's
/// <c>{tool}_mcp_{serverId}</c> must fit. (Each tool's own name is checked when its catalog is learned.)
/// </summary>
internal sealed class ToolNameCheck(IOptions<McpGrainsOptions> options, ILoggerFactory loggerFactory) : IHostedService
{
    public const int MaxLength = 64;
    public const string LibreChatSeparator = "_mcp_";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger(DownstreamMcpLog.Category);
        foreach (var serverId in options.Value.Servers.Keys)
        {
            var authorize = AuthorizationPrompt.ToolName(serverId);
            if (!Fits(authorize))
            {
                logger.ToolNameUnusable(serverId, authorize, "the sign-in tool");
            }

            // The shortest LibreChat name: a one-character tool.
            if (!Fits("x" + LibreChatSeparator + serverId))
            {
                logger.ToolNameUnusable(serverId, "<tool>" + LibreChatSeparator + serverId, "LibreChat's name for every tool of the server");
            }
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public static bool Fits(string name) => name.Length is > 0 and <= MaxLength && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
}
