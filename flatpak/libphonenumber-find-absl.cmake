# Included at libphonenumber's project() call (CMAKE_PROJECT_libphonenumber_INCLUDE):
# libphonenumber 8.12.57 links absl:: targets but looks for abseil only when the geocoder is
# built, which the Flatpak does not need.
find_package(absl REQUIRED)
