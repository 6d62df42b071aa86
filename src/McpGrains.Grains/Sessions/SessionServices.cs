using McpGrains.Configuration;
using McpGrains.OAuth;
using McpGrains.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace McpGrains.Grains.Sessions;

/// <summary>
/// The silo's services a session is built from (see <see cref="SessionParts"/>), resolved per activation: transient,
/// because the token client is a typed <see cref="HttpClient"/>. That client is made on first use: most activations
/// (a status read, a call with a current token) never reach the token endpoint, and an eager one cost every session
/// an <see cref="HttpClient"/> and its headers.
/// </summary>
public sealed class SessionServices(
    IOptions<McpGrainsOptions> options,
    KeyRing keyRing,
    ISecretProtector protector,
    AuthorizationStateCodec stateCodec,
    SignInTicketCodec ticketCodec,
    IServiceProvider services,
    IHttpMessageHandlerFactory handlerFactory,
    ILoggerFactory loggerFactory,
    TimeProvider time)
{
    public McpGrainsOptions Options => options.Value;

    public KeyRing KeyRing => keyRing;

    public ISecretProtector Protector => protector;

    public AuthorizationStateCodec StateCodec => stateCodec;

    public SignInTicketCodec TicketCodec => ticketCodec;

    private TokenClient? _tokenClient;

    public TokenClient TokenClient => _tokenClient ??= services.GetRequiredService<TokenClient>();

    public IHttpMessageHandlerFactory HandlerFactory => handlerFactory;

    public ILoggerFactory LoggerFactory => loggerFactory;

    public TimeProvider Time => time;
}
