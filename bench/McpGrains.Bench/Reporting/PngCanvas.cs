using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace McpGrains.Bench.Reporting;

/// <summary>A tiny RGB raster with lines, rectangles and 5x7 text, saved as PNG (zlib IDAT from System.IO.Compression).</summary>
public sealed class PngCanvas
{
    private static readonly uint[] CrcTable = BuildCrcTable();
    private readonly byte[] _pixels;

    public PngCanvas(int width, int height)
    {
        Width = width;
        Height = height;
        _pixels = new byte[width * height * 3];
        Array.Fill(_pixels, (byte)255);
    }

    public int Width { get; }

    public int Height { get; }

    public void Set(int x, int y, (byte R, byte G, byte B) color)
    {
        if (x < 0 || y < 0 || x >= Width || y >= Height)
        {
            return;
        }

        var i = ((y * Width) + x) * 3;
        _pixels[i] = color.R;
        _pixels[i + 1] = color.G;
        _pixels[i + 2] = color.B;
    }

    public void FillRect(int x0, int y0, int x1, int y1, (byte R, byte G, byte B) color)
    {
        for (var y = Math.Min(y0, y1); y <= Math.Max(y0, y1); y++)
        {
            for (var x = Math.Min(x0, x1); x <= Math.Max(x0, x1); x++)
            {
                Set(x, y, color);
            }
        }
    }

    public void Line(double x0, double y0, double x1, double y1, (byte R, byte G, byte B) color, int thickness = 1, bool dashed = false)
    {
        var steps = (int)Math.Max(Math.Abs(x1 - x0), Math.Abs(y1 - y0)) + 1;
        for (var s = 0; s <= steps; s++)
        {
            if (dashed && (s / 6) % 2 == 1)
            {
                continue;
            }

            var t = steps == 0 ? 0 : s / (double)steps;
            var x = (int)Math.Round(x0 + ((x1 - x0) * t));
            var y = (int)Math.Round(y0 + ((y1 - y0) * t));
            FillRect(x - (thickness / 2), y - (thickness / 2), x + ((thickness - 1) / 2), y + ((thickness - 1) / 2), color);
        }
    }

    public void Text(int x, int y, string text, (byte R, byte G, byte B) color, int scale = 1)
    {
        for (var i = 0; i < text.Length; i++)
        {
            for (var gy = 0; gy < PixelFont.Height; gy++)
            {
                for (var gx = 0; gx < PixelFont.Width; gx++)
                {
                    if (PixelFont.Pixel(text[i], gx, gy))
                    {
                        var px = x + (((i * (PixelFont.Width + 1)) + gx) * scale);
                        FillRect(px, y + (gy * scale), px + scale - 1, y + (gy * scale) + scale - 1, color);
                    }
                }
            }
        }
    }

    public void Save(string path)
    {
        using var file = File.Create(path);
        file.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, Width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), Height);
        header[8] = 8; // bit depth
        header[9] = 2; // truecolour RGB
        WriteChunk(file, "IHDR", header);
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            for (var y = 0; y < Height; y++)
            {
                zlib.WriteByte(0); // filter: none
                zlib.Write(_pixels, y * Width * 3, Width * 3);
            }
        }

        WriteChunk(file, "IDAT", compressed.ToArray());
        WriteChunk(file, "IEND", []);
    }

    private static void WriteChunk(Stream stream, string type, byte[] data)
    {
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(buffer, data.Length);
        stream.Write(buffer);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        stream.Write(typeBytes);
        stream.Write(data);
        var crc = Crc(Crc(0xFFFFFFFFu, typeBytes), data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(buffer, crc);
        stream.Write(buffer);
    }

    private static uint Crc(uint crc, byte[] data)
    {
        foreach (var b in data)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
