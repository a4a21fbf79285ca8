using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Report;

/// <summary>
/// <c>costops report</c> after a demo, opened in real headless Chromium: it renders every chart without a script error.
/// It runs on the machine's clock on purpose (CI runs it again under faketime at awkward instants): the report must draw
/// whatever the day of the month.
/// </summary>
[Trait("Category", "Calendar")]
public sealed class ReportRenderTests
{
    private readonly CliProcess _cli = new() { Now = null };

    [Fact]
    public async Task The_report_renders_every_chart_in_headless_Chromium_without_script_errors_or_requests()
    {
        var demo = await _cli.RunAsync("demo", "--events", "6000", "--tenants", "3");
        Assert.True(demo.ExitCode == 0, demo.Error + demo.Out);
        var html = Path.Combine(_cli.StateDirectory, "report.html");
        var report = await _cli.RunAsync("report", "--out", html);
        Assert.True(report.ExitCode == 0, report.Error);

        var screenshot = Path.Combine(_cli.StateDirectory, "report.png");
        var page = await HeadlessChromium.RenderAsync(html, screenshot);

        Assert.Empty(page.PageErrors);
        Assert.Empty(page.ConsoleErrors);
        Assert.Empty(page.ExternalRequests); // self-contained: nothing but the file itself is loaded
        Assert.Equal("CostOps report", page.Title);
        // The page's only script ran to the end and counted what it found; every chart has a size and drawn geometry.
        Assert.Equal(page.Charts.Count.ToString(), page.Rendered);
        Assert.Contains(page.Charts, c => c.Id == "spend-by-model");
        Assert.Contains(page.Charts, c => c.Id == "savings-by-kind");
        Assert.True(page.Charts.Count(c => c.Id.StartsWith("burn-", StringComparison.Ordinal)) >= 3, "one burn-down per demo budget");
        Assert.All(page.Charts, c =>
        {
            Assert.True(c.Width > 100 && c.Height > 100, $"{c.Id} is {c.Width}x{c.Height}");
            Assert.True(c.Shapes > 0 && c.DrawnShapes == c.Shapes, $"{c.Id}: {c.DrawnShapes} of {c.Shapes} shapes drawn");
        });
        Assert.True(new FileInfo(screenshot).Length > 20_000, "a full-page screenshot of real charts");
    }

    [Fact]
    public async Task The_render_check_sees_script_errors_external_requests_and_undrawn_charts()
    {
        // The check itself must be able to fail: a page with each fault the report test guards against.
        Directory.CreateDirectory(_cli.StateDirectory);
        var html = Path.Combine(_cli.StateDirectory, "broken.html");
        await File.WriteAllTextAsync(html, """
            <!DOCTYPE html><html><head><title>broken</title><link rel="stylesheet" href="http://127.0.0.1:9/missing.css"></head><body>
            <svg class="chart" id="empty" width="300" height="200"><polyline points="" stroke="#000"/></svg>
            <script>console.error("boom"); undefinedFunction();</script>
            <script>document.documentElement.dataset.rendered = "1";</script></body></html>
            """);

        var page = await HeadlessChromium.RenderAsync(html, Path.Combine(_cli.StateDirectory, "broken.png"));

        Assert.Contains(page.PageErrors, e => e.Contains("undefinedFunction", StringComparison.Ordinal));
        Assert.Contains(page.ConsoleErrors, e => e.Contains("boom", StringComparison.Ordinal));
        Assert.Contains(page.ExternalRequests, r => r.Contains("missing.css", StringComparison.Ordinal));
        var chart = Assert.Single(page.Charts);
        Assert.Equal(0, chart.DrawnShapes);
    }
}
