// Anchor translation unit for the shared precompiled LibTorch header; it defines nothing.
