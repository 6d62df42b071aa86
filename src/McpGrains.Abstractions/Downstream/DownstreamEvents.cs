namespace McpGrains.Downstream;

public enum DownstreamStreamStatus
{
    /// <summary>The stream goes on: write the events and poll again.</summary>
    Open = 0,

    /// <summary>The session was deleted or expired: end the stream.</summary>
    Gone = 1,

    /// <summary>Another GET stream of the session took over: end this one.</summary>
    Superseded = 2,
}

/// <summary>One message of a GET stream with its SSE event id.</summary>
[GenerateSerializer, Immutable, Alias("McpGrains.DownstreamEvent")]
public sealed record DownstreamEvent(
    [property: Id(0)] string Id,
    [property: Id(1)] string MessageJson);

/// <summary>The answer to a poll: the messages to write, and the event id to resume after them.</summary>
[GenerateSerializer, Immutable, Alias("McpGrains.DownstreamEvents")]
public sealed record DownstreamEvents(
    [property: Id(0)] DownstreamStreamStatus Status,
    [property: Id(1)] string Cursor,
    [property: Id(2)] DownstreamEvent[] Events)
{
    /// <summary>How long a poll waits for a message before it answers empty (the front end then writes a keep-alive).</summary>
    public static readonly TimeSpan PollWait = TimeSpan.FromSeconds(25);
}
