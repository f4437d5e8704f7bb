#pragma once

// Core-profile prototypes straight from the GLVND libOpenGL: no loader library is needed on
// Linux, where the core 3.3 entry points are exported.
#define GL_GLEXT_PROTOTYPES 1
#include <GL/glcorearb.h>
