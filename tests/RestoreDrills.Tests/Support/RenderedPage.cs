using System.Globalization;
using System.Text;

namespace RestoreDrills.Tests.Support;

/// <summary>
/// A PDF page as a person sees it: rendered by poppler's pdftoppm (PPM, read here) and searched for shapes of one
/// colour: round blobs (a chart's points) and horizontal dashed lines (an objective).
/// </summary>
public sealed class RenderedPage
{
    private readonly byte[] _rgb;

    public int Width { get; }
    public int Height { get; }

    private RenderedPage(int width, int height, byte[] rgb) => (Width, Height, _rgb) = (width, height, rgb);

    public static async Task<RenderedPage> RenderAsync(string pdf, int page, int dpi, string pngCopy)
    {
        var prefix = Path.Combine(Path.GetDirectoryName(pngCopy)!, Path.GetFileNameWithoutExtension(pngCopy));
        await PopplerAsync("pdftoppm", "-png", "-singlefile", "-r", dpi.ToString(CultureInfo.InvariantCulture), "-f", $"{page}", "-l", $"{page}", pdf, prefix);
        await PopplerAsync("pdftoppm", "-singlefile", "-r", dpi.ToString(CultureInfo.InvariantCulture), "-f", $"{page}", "-l", $"{page}", pdf, prefix);
        return Read(await File.ReadAllBytesAsync(prefix + ".ppm"));
    }

    public static async Task<string> PopplerAsync(string tool, params string[] args)
    {
        var run = await BoundedRun.RunAsync(tool, args, TimeSpan.FromMinutes(1));
        if (run.ExitCode != 0) throw new InvalidOperationException($"{tool} exited {run.ExitCode}: {run.Stderr}");
        return run.Stdout;
    }

    /// <summary>Binary PPM (P6, maxval 255), as pdftoppm writes it.</summary>
    public static RenderedPage Read(byte[] ppm)
    {
        var at = 0;
        string Token()
        {
            while (char.IsWhiteSpace((char)ppm[at])) at++;
            var start = at;
            while (!char.IsWhiteSpace((char)ppm[at])) at++;
            return Encoding.ASCII.GetString(ppm, start, at - start);
        }
        if (Token() != "P6") throw new FormatException("not a binary PPM");
        var width = int.Parse(Token(), CultureInfo.InvariantCulture);
        var height = int.Parse(Token(), CultureInfo.InvariantCulture);
        if (Token() != "255") throw new FormatException("PPM maxval is not 255");
        at++; // the single whitespace after maxval
        return new RenderedPage(width, height, ppm[at..(at + width * height * 3)]);
    }

    /// <summary>Connected areas of pixels within <paramref name="tolerance"/> of <paramref name="hex"/> (#rrggbb), as bounding boxes.</summary>
    public List<(int X, int Y, int W, int H)> Shapes(string hex, int tolerance = 60)
    {
        var (r, g, b) = (Convert.ToInt32(hex[1..3], 16), Convert.ToInt32(hex[3..5], 16), Convert.ToInt32(hex[5..7], 16));
        var seen = new bool[Width * Height];
        bool Match(int i) => Math.Pow(_rgb[3 * i] - r, 2) + Math.Pow(_rgb[3 * i + 1] - g, 2) + Math.Pow(_rgb[3 * i + 2] - b, 2) <= tolerance * tolerance;
        var shapes = new List<(int, int, int, int)>();
        var stack = new Stack<int>();
        for (var i = 0; i < seen.Length; i++)
        {
            if (seen[i] || !Match(i)) continue;
            int minX = int.MaxValue, minY = int.MaxValue, maxX = -1, maxY = -1;
            seen[i] = true;
            stack.Push(i);
            while (stack.TryPop(out var p))
            {
                var (x, y) = (p % Width, p / Width);
                (minX, maxX, minY, maxY) = (Math.Min(minX, x), Math.Max(maxX, x), Math.Min(minY, y), Math.Max(maxY, y));
                foreach (var (nx, ny) in new[] { (x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1) })
                {
                    if (nx < 0 || ny < 0 || nx >= Width || ny >= Height) continue;
                    var n = ny * Width + nx;
                    if (seen[n] || !Match(n)) continue;
                    seen[n] = true;
                    stack.Push(n);
                }
            }
            shapes.Add((minX, minY, maxX - minX + 1, maxY - minY + 1));
        }
        return shapes;
    }

    /// <summary>Round blobs at least <paramref name="minSize"/> pixels across (points, not text strokes or lines).</summary>
    public List<(int X, int Y, int W, int H)> Dots(string hex, int minSize) =>
        Shapes(hex).Where(s => s.W >= minSize && s.H >= minSize && Math.Abs(s.W - s.H) <= Math.Max(2, s.W / 4)).ToList();

    /// <summary>Dashed horizontal lines: flat dashes on one row, each within <paramref name="gap"/> of the next, at least <paramref name="minDashes"/> long.</summary>
    public List<(int X, int Y, int Length)> DashedLines(string hex, int gap, int minDashes)
    {
        var dashes = Shapes(hex).Where(s => s.H <= 6 && s.W >= 2 * s.H).OrderBy(s => s.Y).ThenBy(s => s.X).ToList();
        var lines = new List<(int X, int Y, int Length)>();
        var used = new bool[dashes.Count];
        for (var i = 0; i < dashes.Count; i++)
        {
            if (used[i]) continue;
            used[i] = true;
            var (start, end, count) = (dashes[i].X, dashes[i].X + dashes[i].W, 1);
            for (var j = i + 1; j < dashes.Count; j++)
            {
                if (used[j] || Math.Abs(dashes[j].Y - dashes[i].Y) > 1 || dashes[j].X - end > gap || dashes[j].X < end) continue;
                used[j] = true;
                (end, count) = (dashes[j].X + dashes[j].W, count + 1);
            }
            if (count >= minDashes) lines.Add((start, dashes[i].Y, end - start));
        }
        return lines;
    }
}
