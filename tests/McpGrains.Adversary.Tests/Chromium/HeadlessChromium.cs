using PuppeteerSharp;

namespace McpGrains.Adversary.Tests.Chromium;

/// <summary>
/// Debian's chromium, headless, driven by PuppeteerSharp over the DevTools protocol: nothing is downloaded at run time.
/// Each instance has a fresh profile directory, removed on dispose.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private readonly string _profile;

    private HeadlessChromium(IBrowser browser, string profile)
    {
        Browser = browser;
        _profile = profile;
    }

    public IBrowser Browser { get; }

    public static async Task<HeadlessChromium> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"Chromium is not installed at {ExecutablePath}: these tests need it. Install Debian's package with "
                + "'apt-get install -y chromium' (.ci/run installs it before the tests).");
        }

        var profile = Directory.CreateTempSubdirectory("mcpgrains-chromium-").FullName;
        var browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            UserDataDir = profile,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", $"--user-data-dir={profile}",
            ],
        });
        return new HeadlessChromium(browser, profile);
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        await Browser.DisposeAsync();
        Directory.Delete(_profile, recursive: true);
    }
}
