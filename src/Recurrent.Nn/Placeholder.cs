namespace Recurrent.Nn; internal static class Placeholder {}
